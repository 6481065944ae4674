// Keys made for this run only: the API's signing JWKS (production needs JWT_PRIVATE_KEYS; Ed25519
// like the app's default) and an ES256 pair for the Yoga + plugin-jwt alternative.
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';

export async function apiSigningJwks(): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return JSON.stringify({ keys: [{ ...jwk, kid: `bench-${Date.now()}`, alg: 'EdDSA', use: 'sig' }] });
}

export const ISSUER = 'urn:jwt-auth-reference:api';
export const AUDIENCE = 'urn:jwt-auth-reference:web';

/** An ES256 key pair: the public half as PEM for the server, and a token signed with the private half. */
export async function es256TokenAndKey(): Promise<{ publicKeyPem: string; token: string }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const token = await new SignJWT({ sid: crypto.randomUUID(), fgp: '0'.repeat(64) })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime('15m')
    .setJti(crypto.randomUUID())
    .sign(privateKey);
  return { publicKeyPem: await exportSPKI(publicKey), token };
}
