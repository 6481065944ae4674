// a private JWK whose published half (x, y) is another key's must be refused at load, as
// jose's importJWK did before signing moved to node:crypto.
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { createJwsSigner } from './jws-sign.js';

const privateJwk = async (alg: 'ES256' | 'EdDSA') =>
  exportJWK((await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) })).privateKey);

describe('a signing JWK must be one key pair', () => {
  for (const alg of ['ES256', 'EdDSA'] as const) {
    it(`${alg}: d of one key with x/y of another is refused, as jose refused it`, async () => {
      const a = await privateJwk(alg);
      const b = await privateJwk(alg);
      const mixed = { ...a, x: b.x, ...(b.y ? { y: b.y } : {}) } as JWK;
      if (alg === 'ES256') await expect(importJWK(mixed, alg)).rejects.toThrow(); // the old behaviour
      expect(() => createJwsSigner(mixed, alg, 'k')).toThrow(/public part/);
      expect(() => createJwsSigner(a, alg, 'k')).not.toThrow();
    });
  }
});
