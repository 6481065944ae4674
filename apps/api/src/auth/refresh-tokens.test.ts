// The refresh token's tag (ADR 0019): a token is recognised as its session's by the tag alone, and
// nothing a forger can make without the session's key passes (T17, T16).
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIssuedUnder, isWellFormedRefreshToken, newRefreshToken, newRefreshTokenKey } from './refresh-tokens.js';

describe('refresh tokens', () => {
  it('are 64 base64url characters (48 bytes), each new one different, and issued under their key only', () => {
    const key = newRefreshTokenKey();
    const tokens = Array.from({ length: 200 }, () => newRefreshToken(key));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) {
      expect(isWellFormedRefreshToken(token)).toBe(true);
      expect(isIssuedUnder(token, key)).toBe(true);
      expect(isIssuedUnder(token, newRefreshTokenKey())).toBe(false);
    }
  });

  it('T17 T16 no change to a token keeps its tag valid: every bit of all 48 bytes', () => {
    const key = newRefreshTokenKey();
    const bytes = Buffer.from(newRefreshToken(key), 'base64url');
    for (let at = 0; at < bytes.length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const changed = Buffer.from(bytes);
        changed[at]! ^= 1 << bit;
        expect(isIssuedUnder(changed.toString('base64url'), key), `byte ${at} bit ${bit}`).toBe(false);
      }
    }
  });

  it('T16 T53 whatever a forger sends without the key is not issued under it (property-based)', () => {
    const key = newRefreshTokenKey();
    const issued = newRefreshToken(key);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 48, maxLength: 48 }).map((b) => Buffer.from(b).toString('base64url')),
          fc.string({ maxLength: 80 }),
          fc.uint8Array({ minLength: 16, maxLength: 16 }).map((tag) => issued.slice(0, 43) + Buffer.from(tag).toString('base64url')),
          fc.nat({ max: 63 }).map((n) => issued.slice(0, n)),
          fc.string({ minLength: 1, maxLength: 4 }).map((s) => issued + s),
        ),
        (token) => {
          if (token === issued) return;
          expect(isIssuedUnder(token, key)).toBe(false);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('T53 anything but a 64-character base64url string is not well formed', () => {
    for (const bad of [
      undefined,
      null,
      42,
      {},
      '',
      'a'.repeat(63),
      'a'.repeat(65),
      `${'a'.repeat(63)}=`,
      `${'a'.repeat(63)}+`,
      'a'.repeat(43),
    ]) {
      expect(isWellFormedRefreshToken(bad)).toBe(false);
    }
    expect(isIssuedUnder('a'.repeat(64), Buffer.alloc(16))).toBe(false); // a key of the wrong size
  });

  // The tag is HMAC-SHA256 by @noble/hashes; tokens tagged while it was node:crypto's createHmac
  // (every live and spent token issued before a deploy) must keep their tags.
  it('T17 a token tagged by node:crypto’s HMAC is issued under its key, and under no other', () => {
    const LABEL = Buffer.from('jwt-auth-reference/refresh-token-tag v1\0', 'utf8');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (key, random) => {
        const tag = createHmac('sha256', key).update(LABEL).update(random).digest().subarray(0, 16);
        const token = Buffer.concat([random, tag]).toString('base64url');
        expect(isIssuedUnder(token, key)).toBe(true);
        expect(isIssuedUnder(token, newRefreshTokenKey())).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('T17 a token tagged before @noble/hashes (a fixed vector) is issued under its key', () => {
    // node:crypto's createHmac: key 32 × 0x07, random part 32 × 0x09.
    const token = 'CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkufy8zMHkdyztSAbDvzG9f';
    expect(isIssuedUnder(token, Buffer.alloc(32, 7))).toBe(true);
    expect(isIssuedUnder(token, Buffer.alloc(32, 8))).toBe(false);
  });
});
