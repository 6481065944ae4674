// Signing keys. JWT_PRIVATE_KEYS is a JWKS of private keys: the first signs, all verify,
// so a new key can be put first while tokens signed by the old one stay valid until they
// expire (THREATS T11). Without it, development generates one Ed25519 key under DATA_DIR.
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { z } from 'zod';
import { createExclusive, readIfExists } from '../db/exclusive-file.js';
import { ensurePrivateDir } from '../db/private-dir.js';
import { createJwsSigner, type JwsSigner } from './jws-sign.js';

/** Pinned: only asymmetric algorithms, never `none` or HMAC (RFC 8725 §3.1). */
export const ALLOWED_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type SigningAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

const PrivateJwk = z
  .object({
    kid: z.string().min(1),
    alg: z.enum(ALLOWED_ALGORITHMS),
    kty: z.enum(['OKP', 'EC']),
    d: z.string().min(1),
  })
  .passthrough();
const PrivateJwks = z.object({ keys: z.array(PrivateJwk).min(1) });

export type KeyRing = {
  /** The first key of the set: signs every new token (its alg and kid go in the header). */
  signing: JwsSigner;
  /** Public keys only: what /.well-known/jwks.json publishes and what verification uses. */
  publicJwks: { keys: JWK[] };
};

export async function loadKeyRing(options: { jwks: string | undefined; dataDir: string }): Promise<KeyRing> {
  const jwksText = options.jwks ?? (await developmentJwks(options.dataDir));
  let json: unknown;
  try {
    json = JSON.parse(jwksText);
  } catch {
    throw new Error('JWT_PRIVATE_KEYS is not valid JSON');
  }
  const parsed = PrivateJwks.safeParse(json);
  if (!parsed.success) {
    throw new Error(`JWT_PRIVATE_KEYS is not a JWKS of EdDSA/ES256 private keys with kid and alg: ${parsed.error.message}`);
  }
  const kids = parsed.data.keys.map((k) => k.kid);
  if (new Set(kids).size !== kids.length) throw new Error('JWT_PRIVATE_KEYS has duplicate kid values');

  const [first] = parsed.data.keys;
  if (!first) throw new Error('JWT_PRIVATE_KEYS has no keys');
  return {
    signing: createJwsSigner(first as JWK, first.alg, first.kid),
    publicJwks: { keys: parsed.data.keys.map(toPublicJwk) },
  };
}

function toPublicJwk(jwk: z.infer<typeof PrivateJwk>): JWK {
  // Keep only public members: a JWKS endpoint that leaks `d` would hand out the signing key.
  const { kty, crv, x, y } = jwk as JWK;
  return { kty, crv, x, ...(y ? { y } : {}), kid: jwk.kid, alg: jwk.alg, use: 'sig' };
}

/**
 * The development key in `<dataDir>/jwt-private-keys.json`, created on first use. Several API
 * processes may start at once on one DATA_DIR: each must end up with the SAME key, or tokens one
 * signs are refused by the others. So the file is created exclusively and whole (exclusive-file.ts):
 * no reader ever sees a half-written key, no writer replaces another's. The loser of that race
 * reads the winner's key.
 */
async function developmentJwks(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'jwt-private-keys.json');
  const existing = await readIfExists(file);
  if (existing !== null) return existing;

  await ensurePrivateDir(dataDir);
  const jwks = await generatePrivateJwks();
  if (await createExclusive(file, jwks)) return jwks;
  const winner = await readIfExists(file);
  if (winner === null) throw new Error(`${file} vanished while being created`);
  return winner;
}

/** A fresh one-key JWKS (the development key, tests, and `pnpm keys:generate`: cli/generate-keys.ts). */
export async function generatePrivateJwks(
  kid = `dev-${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`,
  alg: SigningAlgorithm = 'EdDSA',
): Promise<string> {
  const { privateKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : { extractable: true });
  const jwk = await exportJWK(privateKey);
  return JSON.stringify({ keys: [{ ...jwk, kid, alg, use: 'sig' }] });
}
