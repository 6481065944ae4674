// This design's sign-in written plainly: what ./sign-in-design-floor.ts serves on node:http and
// ./sign-in-yoga-floor.ts serves as a GraphQL Yoga mutation. The sign-in HTTP floor's work (the
// account by e-mail, argon2id, a session with its first refresh token in one statement) plus what
// this design adds to every sign-in, each with the libraries the API uses and nothing around them:
//   - two rate-limit budgets charged before the password is checked, one per client address and one
//     per account, in PostgreSQL (rate-limiter-flexible's store, the API's `rate_limits` table, keys
//     kept as SHA-256: T42, T43);
//   - at most one argon2id verification per core at once, the rest waiting in a bounded queue;
//   - a fingerprint: 32 random bytes for an HttpOnly cookie, its SHA-256 stored with the session and
//     put in the access token (OWASP JWT Cheat Sheet, "Token Sidejacking");
//   - an access token signed with Ed25519 (node:crypto), the API's claims.
// No input rules, no audit line, no error codes. Not something to deploy, a measuring stick.
import { availableParallelism } from 'node:os';
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import argon2 from 'argon2';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { findAccount, insertSession, pool, sha256 } from './sign-in-common.js';

// Budgets that the bench never spends: their cost is charging them, not refusing.
class HashedKeyLimiter extends RateLimiterPostgres {
  override getKey(key: string | number): string {
    return sha256(super.getKey(key));
  }
}
const limiter = (keyPrefix: string) =>
  new HashedKeyLimiter({
    storeClient: pool,
    storeType: 'pool',
    tableName: 'rate_limits',
    tableCreated: true,
    keyPrefix,
    points: 1e9,
    duration: 60,
  });

// The API's gate (apps/api/src/auth/passwords.ts), written again here: the bench runs the API's
// build and never imports its source.
const MAX_RUNNING = availableParallelism();
const MAX_WAITING = 64;
let running = 0;
const waiting: (() => void)[] = [];
async function gated<T>(work: () => Promise<T>): Promise<T | 'busy'> {
  if (running >= MAX_RUNNING) {
    if (waiting.length >= MAX_WAITING) return 'busy';
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

const { privateKey } = generateKeyPairSync('ed25519');
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const HEADER = base64url({ alg: 'EdDSA', kid: 'design-floor', typ: 'at+jwt' });
function accessToken(claims: Record<string, unknown>): string {
  const input = `${HEADER}.${base64url(claims)}`;
  return `${input}.${sign(null, Buffer.from(input, 'ascii'), privateKey).toString('base64url')}`;
}

const TOKEN_SECONDS = 300;
const COOKIE_ATTRIBUTES = 'Path=/; Max-Age=604800; HttpOnly; Secure; SameSite=Strict';

export type DesignSignIn =
  | {
      kind: 'signed-in';
      accessToken: string;
      expiresAt: Date;
      user: { id: string; email: string; createdAt: Date };
      /** The two Set-Cookie lines: the refresh token and the fingerprint. */
      cookies: string[];
    }
  | { kind: 'refused' }
  | { kind: 'busy' };

export type SignInFn = (email: string, password: string, address: string) => Promise<DesignSignIn>;

/**
 * A floor's sign-in, its budgets under its own name (two floors never share a budget's row).
 * `email` as the API stores it (lower case); `address` the client's, for its budget.
 */
export function designSignIn(floor: string): SignInFn {
  const perAddress = limiter(`${floor}-address`);
  const perAccount = limiter(`${floor}-account`);
  return (email, password, address) => signIn(perAddress, perAccount, email, password, address);
}

async function signIn(
  perAddress: RateLimiterPostgres,
  perAccount: RateLimiterPostgres,
  email: string,
  password: string,
  address: string,
): Promise<DesignSignIn> {
  await Promise.all([perAddress.consume(address), perAccount.consume(email)]);
  const user = await findAccount(email);
  if (!user) return { kind: 'refused' };
  const ok = await gated(() => argon2.verify(user.password_hash, password));
  if (ok === 'busy') return { kind: 'busy' };
  if (!ok) return { kind: 'refused' };

  const refreshToken = randomBytes(32).toString('base64url');
  const fingerprint = randomBytes(32).toString('base64url');
  const fingerprintHash = sha256(fingerprint);
  const sessionId = randomUUID();
  await insertSession({ id: sessionId, userId: user.id, fingerprintHash, tokenId: randomUUID(), tokenHash: sha256(refreshToken) });
  const iat = Math.floor(Date.now() / 1000);
  const token = accessToken({
    iss: 'design-floor',
    aud: 'design-floor',
    sub: user.id,
    sid: sessionId,
    jti: randomUUID(),
    fgp: fingerprintHash,
    iat,
    exp: iat + TOKEN_SECONDS,
  });
  return {
    kind: 'signed-in',
    accessToken: token,
    expiresAt: new Date((iat + TOKEN_SECONDS) * 1000),
    user: { id: user.id, email: user.email, createdAt: user.created_at },
    cookies: [`__Host-refresh=${refreshToken}; ${COOKIE_ATTRIBUTES}`, `__Host-fingerprint=${fingerprint}; ${COOKIE_ATTRIBUTES}`],
  };
}
