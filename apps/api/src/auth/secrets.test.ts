import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newRefreshToken, newRefreshTokenKey } from './refresh-tokens.js';
import { digestMatches, digestsEqual, isWellFormedSecret, newSecret, openSealedSecret, sealSecret, sha256Hex } from './secrets.js';

const nodeSha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * Strings of every kind the callers hash: our 43-character secrets and 64-character refresh tokens
 * (two SHA-256 blocks), any UTF-16 code units (lone surrogates included) and any graphemes, up to a
 * few blocks long. `size: 'max'`: fast-check otherwise keeps generated strings to ~10 units.
 */
const anyString = () =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300, size: 'max' }),
    fc.string({ unit: 'grapheme', maxLength: 120, size: 'max' }),
    fc.constant(null).map(() => newSecret()),
    fc.constant(null).map(() => newRefreshToken(newRefreshTokenKey())),
  );

describe('secrets', () => {
  it('are 256-bit, base64url and different every time', () => {
    const a = newSecret();
    const b = newSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(isWellFormedSecret(a)).toBe(true);
  });

  it('rejects malformed candidates', () => {
    for (const bad of ['', 'x', `${newSecret()}=`, 'a'.repeat(44), 'ä'.repeat(43), 42, null, undefined]) {
      expect(isWellFormedSecret(bad)).toBe(false);
    }
  });

  it('compares digests exactly', () => {
    const d = sha256Hex('fingerprint');
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(digestsEqual(d, sha256Hex('fingerprint'))).toBe(true);
    expect(digestsEqual(d, sha256Hex('fingerprinT'))).toBe(false);
    expect(digestsEqual(d, d.slice(1))).toBe(false);
  });

  it('matches a value against its hex digest exactly (the fingerprint check)', () => {
    const d = sha256Hex('fingerprint');
    expect(digestMatches('fingerprint', d)).toBe(true);
    expect(digestMatches('fingerprinT', d)).toBe(false);
    for (const bad of [d.slice(2), `${d}00`, `${d.slice(0, 62)}zz`, '', d.toUpperCase(), `${d.slice(0, 63)}`, ` ${d.slice(1)}`]) {
      expect(digestMatches('fingerprint', bad)).toBe(false);
    }
    // Not a string: refused, never hashed as the empty string (the review's finding).
    const empty = sha256Hex('');
    for (const notString of [123, {}, true, [], null, undefined, () => 1]) {
      expect(digestMatches(notString as unknown as string, empty)).toBe(false);
    }
  });

  it('agrees with node:crypto’s SHA-256 for any string, and refuses every one-character change of the digest', () => {
    fc.assert(
      fc.property(anyString(), fc.nat(63), fc.nat(15), (value, at, nibble) => {
        const d = nodeSha256Hex(value);
        expect(digestMatches(value, d)).toBe(true);
        const changed = (parseInt(d[at]!, 16) + 1 + (nibble % 15)) % 16; // any other hex digit
        expect(digestMatches(value, `${d.slice(0, at)}${changed.toString(16)}${d.slice(at + 1)}`)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('sha256Hex is node:crypto’s SHA-256 in lowercase hex, for any string, and hashes nothing else', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'); // FIPS 180-2
    // Lone surrogates are not UTF-8: node:crypto writes each as U+FFFD, and so must we.
    for (const value of ['\ud800', '\udc00', 'a\ud800b', '\udc00\ud800', `${'x'.repeat(64)}\ud83d`]) {
      expect(sha256Hex(value)).toBe(nodeSha256Hex(value));
    }
    fc.assert(
      fc.property(anyString(), (value) => {
        expect(sha256Hex(value)).toBe(nodeSha256Hex(value));
      }),
      { numRuns: 2000 },
    );
    for (const notString of [5, {}, null, undefined, Buffer.from('x')]) {
      expect(() => sha256Hex(notString as unknown as string)).toThrow(TypeError);
    }
  });
});

describe('sealed secrets', () => {
  it('open only with the key secret and context they were sealed with, and only unaltered', () => {
    const key = newSecret();
    const secret = newSecret();
    const sealed = sealSecret(key, secret, 'session-1');
    expect(sealed).not.toContain(secret);
    expect(openSealedSecret(key, sealed, 'session-1')).toBe(secret);
    expect(openSealedSecret(newSecret(), sealed, 'session-1')).toBeNull();
    expect(openSealedSecret(key, sealed, 'session-2')).toBeNull();
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[20] = bytes[20]! ^ 1;
    expect(openSealedSecret(key, bytes.toString('base64url'), 'session-1')).toBeNull();
    expect(openSealedSecret(key, '', 'session-1')).toBeNull();
    // A fresh IV each time: the same secret never seals to the same text.
    expect(sealSecret(key, secret, 'session-1')).not.toBe(sealed);
  });

  // The key is HKDF-SHA256 (RFC 5869) by @noble/hashes; successors sealed while it was node:crypto's
  // hkdfSync must still open after a deploy (a lost answer is re-sent from its seal, ADR 0008), and
  // the other way round.
  it('use the same key as node:crypto’s HKDF: seals made either way open the other way', () => {
    const SALT = Buffer.from('jwt-auth-reference/refresh-successor', 'utf8');
    const INFO = Buffer.from('aes-256-gcm key v1', 'utf8');
    const nodeKey = (keySecret: string) => Buffer.from(hkdfSync('sha256', Buffer.from(keySecret, 'base64url'), SALT, INFO, 32));
    const nodeSeal = (keySecret: string, secret: string, context: string) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', nodeKey(keySecret), iv).setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    };
    const nodeOpen = (keySecret: string, sealed: string, context: string) => {
      const bytes = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', nodeKey(keySecret), bytes.subarray(0, 12)).setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
    };
    fc.assert(
      fc.property(
        // The key secret is the predecessor refresh token (64 characters); any length must agree.
        fc.oneof(
          fc.constant(null).map(() => newRefreshToken(newRefreshTokenKey())),
          fc.uint8Array({ maxLength: 100, size: 'max' }).map((bytes) => Buffer.from(bytes).toString('base64url')),
        ),
        fc.uuid(),
        (key, context) => {
          const secret = newSecret();
          expect(openSealedSecret(key, nodeSeal(key, secret, context), context)).toBe(secret);
          expect(nodeOpen(key, sealSecret(key, secret, context), context)).toBe(secret);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('open a seal that the code before @noble/hashes made (a fixed vector)', () => {
    // node:crypto's hkdfSync + AES-256-GCM, IV 12 × 0x42: token = bytes 0..47, secret = bytes 255..208.
    const token = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v';
    const sealed =
      'QkJCQkJCQkJCQkJCwK1zOnaOXL9KZmmOJF4w1tCA_k-9-6BOSLxoYR5YRGHsGFiHLXICp3jyYxJg5ESzisS8VusfstBPoyHsar4qbL64F60IOWoogYMjQJ9WgP0';
    const context = '00000000-0000-4000-8000-000000000001';
    expect(openSealedSecret(token, sealed, context)).toBe('__79_Pv6-fj39vX08_Lx8O_u7ezr6uno5-bl5OPi4eDf3t3c29rZ2NfW1dTT0tHQ');
    expect(openSealedSecret(token, sealed, '00000000-0000-4000-8000-000000000002')).toBeNull();
  });
});
