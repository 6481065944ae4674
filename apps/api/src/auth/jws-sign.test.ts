import { createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createJwsSigner } from './jws-sign.js';
import type { SigningAlgorithm } from './keys.js';

async function keyPair(alg: SigningAlgorithm) {
  const { privateKey, publicKey } = await generateKeyPair(
    alg,
    alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : { extractable: true },
  );
  return { privateJwk: await exportJWK(privateKey), publicJwk: { ...(await exportJWK(publicKey)), kid: `k-${alg}`, alg } };
}

describe('signing our tokens with node:crypto', () => {
  for (const alg of ['EdDSA', 'ES256'] as const) {
    it(`${alg}: what it signs, jose verifies with the published key, with the header it names`, async () => {
      const { privateJwk, publicJwk } = await keyPair(alg);
      const signer = createJwsSigner(privateJwk, alg, publicJwk.kid);
      const iat = Math.floor(Date.now() / 1000);
      const token = signer.sign({ sub: 'u', iat, exp: iat + 60, nested: { a: ['b'] } }, 'at+jwt');
      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet({ keys: [publicJwk] }), {
        algorithms: [alg],
        typ: 'at+jwt',
      });
      expect(protectedHeader).toEqual({ alg, kid: publicJwk.kid, typ: 'at+jwt' });
      expect(payload).toEqual({ sub: 'u', iat, exp: iat + 60, nested: { a: ['b'] } });
      // Another key of the same algorithm does not verify it.
      const other = await keyPair(alg);
      await expect(jwtVerify(token, createLocalJWKSet({ keys: [{ ...other.publicJwk, kid: publicJwk.kid }] }))).rejects.toThrow();
    });
  }

  it('refuses a key that does not fit the algorithm (an EC key never signs "EdDSA" and the reverse)', async () => {
    const ec = await keyPair('ES256');
    const ed = await keyPair('EdDSA');
    expect(() => createJwsSigner(ec.privateJwk, 'EdDSA', 'k')).toThrow(/not a key for EdDSA/);
    expect(() => createJwsSigner(ed.privateJwk, 'ES256', 'k')).toThrow(/not a key for ES256/);
    expect(decodeProtectedHeader(createJwsSigner(ed.privateJwk, 'EdDSA', 'k').sign({}, 'at+jwt')).alg).toBe('EdDSA');
  });
});
