// Input bounds enforced by the API (the authority) and mirrored by the web forms for feedback.

/** ASVS V6.2: at least 8 characters. */
export const PASSWORD_MIN_LENGTH = 8;
/** Long enough for pass-phrases (ASVS asks to allow ≥ 64), short enough to bound argon2's input (T44). */
export const PASSWORD_MAX_LENGTH = 128;
export const NOTE_MAX_LENGTH = 1000;
