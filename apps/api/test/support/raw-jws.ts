// Signs ANY header and payload text with the server's own private key, byte for byte, without a
// JOSE library in between (jose's SignJWT refuses odd headers such as unknown `crit` entries or
// `b64: false`, and normalises claims). Attack tests use it to fuzz claim and header shapes that
// only a key holder could produce: the verifier must still refuse every malformed one with 401
// and never fail with a 5xx (THREATS T09, T53).
import { createPrivateKey, sign, type JsonWebKey } from 'node:crypto';
import { b64url } from './forge.js';

/** `headerJson` and `payloadJson` are sent exactly as given (they need not be valid JSON). */
export function signCompactRaw(privateJwksText: string, headerJson: string, payloadJson: string): string {
  const jwk = (JSON.parse(privateJwksText) as { keys: (JsonWebKey & { crv?: string })[] }).keys[0]!;
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') throw new Error('signCompactRaw supports Ed25519 keys only');
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  const input = `${b64url(headerJson)}.${b64url(payloadJson)}`;
  return `${input}.${sign(null, Buffer.from(input, 'ascii'), key).toString('base64url')}`;
}
