// Random secrets and their digests. Refresh tokens and fingerprints are 256-bit random
// values (RFC 9700 §4.14 asks for unguessable refresh tokens; ASVS asks ≥ 128 bits).
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';

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

/**
 * Lowercase hex SHA-256 of a string's UTF-8 bytes (what the database keeps of a refresh token, what a
 * token's fingerprint claim holds). In JavaScript for the reason given at `digestMatches` below: a
 * sign-in computes two, a refresh two or three, and node:crypto's one-shot `hash` cost ~5–8 µs each
 * in the running API (issue 12, eighteenth pass; ADR 0016, addenda).
 */
export function sha256Hex(value: string): string {
  // Never hash a non-string as something else (`utf8` would read a number as '').
  if (typeof value !== 'string') throw new TypeError('sha256Hex hashes strings only');
  return bytesToHex(sha256(utf8(value)));
}

const SHA256_BYTES = 32;

/**
 * Is `expectedHex` (a lowercase hex SHA-256, as in the token's fingerprint claim) the digest of
 * `value`? It runs on every authenticated request (OWASP JWT CS, "Token Sidejacking"), so the
 * digest is computed in JavaScript (@noble/hashes, audited) rather than by node:crypto. WHY: timed
 * inside the running API under load, node:crypto's one-shot SHA-256 took ~10 µs per request (a
 * native OpenSSL call whose code is cold again by the next request; ~1.5 µs in a tight loop), and
 * its Buffer and timingSafeEqual ~4.5 µs more; an A/B of two API builds: 8 % more authenticated
 * requests per second and 8 % less CPU per request this way (issue 12, ADR 0016 addendum).
 * Constant time: SHA-256 has no branch or table lookup that depends on its input, and the bytes are
 * compared without an early exit. Only the expected digest (the claim, which the token's holder can
 * read anyway) is decoded with branches.
 */
export function digestMatches(value: string, expectedHex: string): boolean {
  // Fails closed for anything but strings (a number or an object would otherwise hash as '').
  if (typeof value !== 'string' || typeof expectedHex !== 'string') return false;
  const expected = lowercaseHexBytes(expectedHex);
  if (expected === null || expected.length !== SHA256_BYTES) return false;
  const actual = sha256(utf8(value));
  let diff = 0;
  for (let i = 0; i < SHA256_BYTES; i++) diff |= actual[i]! ^ expected[i]!;
  return diff === 0;
}

/** UTF-8 bytes; our secrets are ASCII, one byte per character, without a native call. */
function utf8(value: string): Uint8Array {
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0x7f) return new Uint8Array(Buffer.from(value, 'utf8'));
    bytes[i] = code;
  }
  return bytes;
}

/** `0-9a-f` pairs → bytes; null for anything else (odd length, uppercase, other characters). */
function lowercaseHexBytes(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const high = hexValue(hex.charCodeAt(2 * i));
    const low = hexValue(hex.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) return null;
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30; // 0-9
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10; // a-f
  return -1;
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

// HKDF by @noble/hashes (audited; RFC 5869, the same bytes as node:crypto's hkdfSync, checked in
// secrets.test.ts). WHY not hkdfSync: OpenSSL 3 looks its KDF up by name on every call; in the
// running API that took 40–64 µs per refresh, more than a refresh's HKDF, HMAC and hashes now take
// together (issue 12, eighteenth pass; ADR 0016, addenda). SHA-256, HMAC and HKDF in noble are
// algorithmically constant-time: no branch or table lookup depends on the key or the message
// (JavaScript promises no more than that; noble's README says so). AES-GCM stays in OpenSSL: AES
// in JavaScript indexes tables by key bytes.
function sealKey(keySecret: string): Uint8Array {
  return hkdf(sha256, Buffer.from(keySecret, 'base64url'), SEAL_SALT, SEAL_INFO, 32);
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
