// Random secrets and their digests. Refresh tokens and fingerprints are 256-bit random
// values (RFC 9700 §4.14 asks for unguessable refresh tokens; ASVS asks ≥ 128 bits).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_BYTES = 32;
/** base64url of 32 bytes is exactly 43 characters. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** Rejects anything that cannot be one of our secrets before it reaches a hash or a query. */
export function isWellFormedSecret(value: unknown): value is string {
  return typeof value === 'string' && SECRET_PATTERN.test(value);
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests (OWASP JWT CS: avoid timing side channels). */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
