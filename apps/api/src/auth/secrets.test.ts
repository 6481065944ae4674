import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestMatches, digestsEqual, isWellFormedSecret, newSecret, openSealedSecret, sealSecret, sha256Hex } from './secrets.js';

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
    const nodeDigest = (v: string) => createHash('sha256').update(v, 'utf8').digest('hex');
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ maxLength: 200 }), fc.constant(newSecret())),
        fc.nat(63),
        fc.nat(15),
        (value, at, nibble) => {
          const d = nodeDigest(value);
          expect(digestMatches(value, d)).toBe(true);
          const changed = (parseInt(d[at]!, 16) + 1 + (nibble % 15)) % 16; // any other hex digit
          expect(digestMatches(value, `${d.slice(0, at)}${changed.toString(16)}${d.slice(at + 1)}`)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
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
});
