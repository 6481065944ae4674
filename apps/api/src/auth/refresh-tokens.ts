// The refresh token's format (ADR 0019). A refresh token is 48 random-looking bytes, base64url
// (64 characters, opaque, not a JWT):
//
//   32 random bytes ‖ the first 16 bytes of HMAC-SHA256(session's token key, label ‖ those 32 bytes)
//
// The random part makes it unguessable (RFC 9700 §4.14; 256 bits). The tag proves, without any
// record of the token, that this session issued it: each session has its own 256-bit key, made at
// sign-in and never sent anywhere. WHY: reuse detection (T17, RFC 9700 §4.14.2) must recognise
// every spent token of a session, however many rotations ago it was spent. A list of spent tokens
// needs a cap (one session can rotate in a loop), and a thief holding the live token could rotate
// past that cap on purpose, so that the victim's replay of the stolen token no longer ended the
// session. With the tag there is nothing to cap: a token of a live session, issued under its key,
// whose row is gone, is a spent token, and its replay ends the session.
//
// The server still stores only the token's SHA-256 (a database reader learns no live token). The
// key is in the database: a reader of the database who also holds the session's fingerprint cookie
// could mint a spent-looking token, and with it only end that session.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, timingSafeEqual } from 'node:crypto';

const RANDOM_BYTES = 32;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** base64url of 48 bytes is exactly 64 characters, with no padding bits: one spelling per token. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{64}$/;
/** Domain separation: this key tags refresh tokens and nothing else. */
const TAG_LABEL = Buffer.from('jwt-auth-reference/refresh-token-tag v1\0', 'utf8');

/** A new session's token key: 256 random bits, kept on the session row only. */
export function newRefreshTokenKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

// HMAC-SHA256 by @noble/hashes, as the seal's HKDF (./secrets.ts says why not node:crypto): the same
// bytes as createHmac's, checked in refresh-tokens.test.ts.
function tagOf(key: Uint8Array, random: Uint8Array): Uint8Array {
  return hmac.create(sha256, key).update(TAG_LABEL).update(random).digest().subarray(0, TAG_BYTES);
}

/** A new refresh token of the session whose token key is `key`. */
export function newRefreshToken(key: Uint8Array): string {
  if (key.length !== KEY_BYTES) throw new Error('a refresh token key is 32 bytes');
  const random = randomBytes(RANDOM_BYTES);
  return Buffer.concat([random, tagOf(key, random)]).toString('base64url');
}

/** Rejects anything that cannot be one of our refresh tokens before it reaches a hash or a query. */
export function isWellFormedRefreshToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/**
 * Was `token` issued by the session whose token key is `key`? Compared in constant time (OWASP
 * Cryptographic Storage CS): the answer's timing says nothing about how much of a forged tag was right.
 */
export function isIssuedUnder(token: string, key: Uint8Array): boolean {
  if (!isWellFormedRefreshToken(token) || key.length !== KEY_BYTES) return false;
  const bytes = Buffer.from(token, 'base64url');
  return timingSafeEqual(bytes.subarray(RANDOM_BYTES), tagOf(key, bytes.subarray(0, RANDOM_BYTES)));
}
