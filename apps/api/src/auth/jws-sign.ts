// Signing our own access tokens with node:crypto (RFC 7515 compact serialization, RFC 8037 EdDSA,
// RFC 7518 §3.4 ES256). Verification stays with jose (./access-token.ts): it is where the
// attacker's bytes are parsed, and where algorithm pinning, `typ`, `iss`, `aud` and time checks
// live. Signing takes only our own claims and our own key.
//
// WHY not jose's SignJWT: jose 6 signs through WebCrypto, one asynchronous thread-pool job per
// token; under the rotation benchmark its job set-up and completion cost ~10 % of the API's busy
// time (issue 12), and the job queues behind argon2 on the same four threads during a sign-in
// storm. node:crypto signs Ed25519 synchronously in ~60 µs (ADR 0016, addendum).
import {
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { JWK } from 'jose';
import type { SigningAlgorithm } from './keys.js';

export type JwsSigner = {
  alg: SigningAlgorithm;
  kid: string;
  /** `<header>.<payload>.<signature>`, each base64url; the header is `{ alg, kid, typ }`. */
  sign(payload: Record<string, unknown>, typ: string): string;
};

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function createJwsSigner(privateJwk: JWK, alg: SigningAlgorithm, kid: string): JwsSigner {
  const key: KeyObject = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
  // The key must be of the algorithm's type: an EC key can never sign "EdDSA" or the reverse.
  const expected = alg === 'EdDSA' ? { type: 'ed25519' } : { type: 'ec', curve: 'prime256v1' };
  if (key.asymmetricKeyType !== expected.type || (expected.curve && key.asymmetricKeyDetails?.namedCurve !== expected.curve)) {
    throw new Error(`the signing key ${kid} is not a key for ${alg}`);
  }
  // The JWKS publishes the JWK's own public members (x, y), and this process remembers the tokens
  // it signs without verifying them (access-token.ts): a private key whose `d` is not the one of
  // that public key would sign tokens that work here and fail everywhere else (other instances,
  // Hasura). jose's importJWK (WebCrypto) refused such a JWK; node:crypto does not check. Checked
  // by signing: OpenSSL keeps an EC JWK's x/y as given, so comparing them would prove nothing.
  const { kty, crv, x, y } = privateJwk as { kty?: string; crv?: string; x?: string; y?: string };
  const digest = alg === 'EdDSA' ? null : 'sha256';
  const probe = Buffer.from('signing key self-check');
  let matches = false;
  try {
    const published = createPublicKey({ key: { kty, crv, x, ...(y ? { y } : {}) } as JsonWebKey, format: 'jwk' });
    matches = cryptoVerify(digest, probe, published, cryptoSign(digest, probe, key));
  } catch {
    matches = false;
  }
  if (!matches) throw new Error(`the signing key ${kid}: its public part (x, y) is not the public key of its private part (d)`);

  return {
    alg,
    kid,
    sign(payload, typ) {
      const signingInput = `${base64url({ alg, kid, typ })}.${base64url(payload)}`;
      const data = Buffer.from(signingInput, 'ascii');
      const signature =
        alg === 'EdDSA'
          ? cryptoSign(null, data, key)
          : // JWS ES256 is the raw r || s pair (RFC 7518 §3.4), not DER.
            cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
      return `${signingInput}.${signature.toString('base64url')}`;
    },
  };
}
