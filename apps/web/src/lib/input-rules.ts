// Client-side input rules, for immediate feedback only: the API enforces the same rules and is the
// authority (a browser check is a convenience, never a control). Both import the same bounds.
import { NOTE_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@app/shared';

export { NOTE_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

export function validateEmail(email: string): string | undefined {
  const value = email.trim();
  if (!value) return 'Enter your e-mail address.';
  // Deliberately loose: the API decides; this only catches obvious typos.
  if (!/^[^\s@]+@[^\s@]+$/.test(value)) return 'Enter a valid e-mail address, like name@example.com.';
  return undefined;
}

export function validateNewPassword(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  }
  return undefined;
}

/** Signing in checks only presence: the rules must not hint at anything (THREATS T41). */
export function validateExistingPassword(password: string): string | undefined {
  return password ? undefined : 'Enter your password.';
}

export function validateNote(text: string): string | undefined {
  const value = text.trim();
  if (!value) return 'Write something first.';
  if (value.length > NOTE_MAX_LENGTH) return `A note can have at most ${NOTE_MAX_LENGTH} characters.`;
  return undefined;
}
