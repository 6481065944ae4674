// Input rules for e-mail and password, applied BEFORE any hashing or query (bad input gets a
// clear error and changes nothing; over-long passwords are refused before argon2 runs, T44).
import { z } from 'zod';
import { badUserInput } from './errors.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@app/shared';

/** One spelling per address: what is stored, looked up and rate-limited. */
export const normalizeEmail = (email: string) => email.normalize('NFC').trim().toLowerCase();

const Email = z.string().max(254).transform(normalizeEmail).pipe(z.string().email().max(254));

const Password = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

export function parseEmail(value: string): string {
  const r = Email.safeParse(value);
  if (!r.success) throw badUserInput('Enter a valid e-mail address');
  return r.data;
}

/** For new passwords (sign-up, change): enforce the length bounds with a precise message. */
export function parseNewPassword(value: string): string {
  const r = Password.safeParse(value);
  if (!r.success) {
    throw badUserInput(`Password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`);
  }
  return value;
}

/** For a password being checked: never hash unbounded input, but do not reveal the rules. */
export function isCheckablePassword(value: string): boolean {
  return value.length > 0 && value.length <= PASSWORD_MAX_LENGTH;
}
