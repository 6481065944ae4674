// Token forgery kit for attack tests: builds JWTs the way an attacker (or a buggy issuer) would.
import { createHash, createHmac } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';

export const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
export const decodePart = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
export const sha256Hex = (v: string) => createHash('sha256').update(v).digest('hex');

/** Signs any payload and header with a JWK from a private JWKS string (the server's own key, for claim tests). */
export async function signWithJwks(jwksText: string, payload: JWTPayload, header: Record<string, unknown> = {}) {
  const jwk = (JSON.parse(jwksText) as { keys: (JWK & { kid: string; alg: string })[] }).keys[0]!;
  const key = await importJWK(jwk, jwk.alg);
  return new SignJWT(payload).setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'at+jwt', ...header }).sign(key);
}

/** A fresh key the server has never seen. */
export async function attackerKey() {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { privateKey, publicJwk: await exportJWK(publicKey) };
}

/** Re-encodes a token's payload (and optionally header) and keeps the original signature. */
export function tamper(token: string, edit: (payload: Record<string, unknown>) => void, editHeader?: (h: Record<string, unknown>) => void) {
  const [h, p, s] = token.split('.') as [string, string, string];
  const header = decodePart(h);
  const payload = decodePart(p);
  edit(payload);
  editHeader?.(header);
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${s}`;
}

export function unsigned(token: string, alg = 'none') {
  const [h, p] = token.split('.') as [string, string];
  const header = { ...decodePart(h), alg };
  return `${b64url(JSON.stringify(header))}.${p}.`;
}

/** HS256 "signed" with the server's PUBLIC key material as the HMAC secret (key confusion, RFC 8725 §2.1). */
export function hs256WithPublicKey(token: string, publicKeyMaterial: string) {
  const [h, p] = token.split('.') as [string, string];
  const header = b64url(JSON.stringify({ ...decodePart(h), alg: 'HS256' }));
  const mac = createHmac('sha256', publicKeyMaterial).update(`${header}.${p}`).digest('base64url');
  return `${header}.${p}.${mac}`;
}
