import { describe, expect, it } from 'vitest';
import { digestsEqual, isWellFormedSecret, newSecret, sha256Hex } from './secrets.js';

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
});
