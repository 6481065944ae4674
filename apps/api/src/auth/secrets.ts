// Random secrets and their digests. Refresh tokens and fingerprints are 256-bit random
// values (RFC 9700 §4.14 asks for unguessable refresh tokens; ASVS asks ≥ 128 bits).
import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

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
  // One-shot `hash` (Node ≥ 20.12): the same digest as createHash().update().digest(), without
  // a Hash object per call (it runs on every authenticated request, for the fingerprint).
  return hash('sha256', value, 'hex');
}

const SHA256_BYTES = 32;

/**
 * Is `expectedHex` (a hex SHA-256) the digest of `value`? Constant-time like `digestsEqual`, on the
 * raw 32 bytes: the fresh digest is neither hex-encoded nor copied into a Buffer per string.
 */
export function digestMatches(value: string, expectedHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'hex');
  // A malformed hex string decodes to fewer bytes (and timingSafeEqual needs equal lengths).
  return (
    expected.length === SHA256_BYTES &&
    expectedHex.length === 2 * SHA256_BYTES &&
    timingSafeEqual(hash('sha256', value, 'buffer'), expected)
  );
}

/** Constant-time comparison of two hex digests (OWASP JWT CS: avoid timing side channels). */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

// Sealing a successor refresh token under a key derived from its predecessor (ADR 0008).
// The predecessor is itself a 256-bit random secret that the server keeps only as a SHA-256, so
// HKDF (RFC 5869) turns it straight into an AES-256-GCM key: whoever presents the predecessor can
// open the seal, nobody else can — not even someone who reads the database.
const SEAL_SALT = Buffer.from('jwt-auth-reference/refresh-successor', 'utf8');
const SEAL_INFO = Buffer.from('aes-256-gcm key v1', 'utf8');
const IV_BYTES = 12;
const TAG_BYTES = 16;

function sealKey(keySecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(keySecret, 'base64url'), SEAL_SALT, SEAL_INFO, 32));
}

/** Encrypts `secret` under a key derived from `keySecret`, bound to `context` (authenticated, not secret). */
export function sealSecret(keySecret: string, secret: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealKey(keySecret), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The sealed secret, or null when the key or the context is wrong or the value was altered. */
export function openSealedSecret(keySecret: string, sealed: string, context: string): string | null {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(keySecret), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
