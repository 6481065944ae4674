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
    for (const bad of [d.slice(2), `${d}00`, `${d.slice(0, 62)}zz`, '']) expect(digestMatches('fingerprint', bad)).toBe(false);
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
