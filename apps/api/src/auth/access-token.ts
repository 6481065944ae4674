// Access tokens: short-lived JWS signed with an asymmetric key (RFC 8725, RFC 9068 `at+jwt`).
// Verification never touches the database: signature, pinned algorithms, typ, iss, aud,
// exp/nbf/iat with a small clock tolerance, then a strict shape check of the claims.
// A token that passed all of that is remembered until its `exp` (bounded cache), so a client's
// next requests with the same token skip the signature check; the fingerprint and the deny-list
// are checked by the caller on EVERY request, cached or not (./authenticate.ts).
import { FINGERPRINT_CLAIM, HASURA_CLAIMS, SESSION_CLAIM } from '@app/shared';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { z } from 'zod';
import { ALLOWED_ALGORITHMS, type KeyRing } from './keys.js';

const TOKEN_TYPE = 'at+jwt';
/** Small leeway for clock skew between API instances (RFC 8725 §3.10 leaves it to the verifier). */
export const CLOCK_TOLERANCE_SECONDS = 5;
/** A compact JWS of three base64url parts; anything else is refused before parsing. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 4096;
/** Verified tokens kept at most (FIFO beyond): ~1 KiB each, so ≤ ~10 MiB. */
const DEFAULT_MAX_CACHED_TOKENS = 10_000;

export type AccessTokenSettings = { issuer: string; audience: string; ttlSeconds: number };

export type AccessTokenClaims = {
  sub: string;
  sid: string;
  jti: string;
  fgp: string;
  iat: number;
  exp: number;
};

const Claims = z.object({
  sub: z.string().uuid(),
  [SESSION_CLAIM]: z.string().uuid(),
  jti: z.string().min(1),
  [FINGERPRINT_CLAIM]: z.string().regex(/^[0-9a-f]{64}$/),
  iat: z.number().int(),
  exp: z.number().int(),
});

export type IssuedAccessToken = { token: string; expiresAt: Date; claims: AccessTokenClaims };

export function createAccessTokens(
  keys: KeyRing,
  settings: AccessTokenSettings,
  options: { now?: () => number; maxCachedTokens?: number } = {},
) {
  const jwks = createLocalJWKSet({ keys: keys.publicJwks.keys as JWK[] });
  const now = options.now ?? Date.now;
  const maxCached = options.maxCachedTokens ?? DEFAULT_MAX_CACHED_TOKENS;
  // Keyed by the exact token string: only a token that verified in full is ever inserted, so a
  // lookup can only hit for bytes we signed ourselves; any altered byte is a miss and is verified.
  const verified = new Map<string, Readonly<AccessTokenClaims>>();

  function remember(token: string, claims: Readonly<AccessTokenClaims>): void {
    if (verified.size >= maxCached) verified.delete(verified.keys().next().value!);
    verified.set(token, claims);
  }

  async function issue(input: {
    userId: string;
    sessionId: string;
    fingerprintHash: string;
    /** Never outlive the session's absolute lifetime. */
    notAfter: Date;
    now?: Date;
  }): Promise<IssuedAccessToken> {
    const iat = Math.floor((input.now ?? new Date(now())).getTime() / 1000);
    const exp = Math.min(iat + settings.ttlSeconds, Math.floor(input.notAfter.getTime() / 1000));
    const jti = crypto.randomUUID();
    const token = keys.signing.sign(
      {
        iss: settings.issuer,
        aud: settings.audience,
        sub: input.userId,
        iat,
        exp,
        jti,
        [SESSION_CLAIM]: input.sessionId,
        [FINGERPRINT_CLAIM]: input.fingerprintHash,
        [HASURA_CLAIMS]: {
          'x-hasura-user-id': input.userId,
          'x-hasura-default-role': 'user',
          'x-hasura-allowed-roles': ['user'],
        },
      },
      TOKEN_TYPE,
    );
    const claims = Object.freeze({ sub: input.userId, sid: input.sessionId, jti, fgp: input.fingerprintHash, iat, exp });
    // Signed here a moment ago: its first use (e.g. the SSR data query right after a refresh) need
    // not verify our own signature again. Fingerprint and deny-list are still checked per request.
    remember(token, claims);
    return { token, expiresAt: new Date(exp * 1000), claims };
  }

  /**
   * The claims of a token that verified in full before and has not expired yet; undefined otherwise
   * (then `verify` decides). Synchronous: the common case of a request costs no promise. No shape
   * check is needed first: only tokens that passed every check of `verify` are in the map.
   */
  function remembered(token: string): Readonly<AccessTokenClaims> | undefined {
    const cached = verified.get(token);
    if (!cached) return undefined;
    // Strictly before `exp`: from there on the full check in `verify` decides (with its clock tolerance).
    if (now() < cached.exp * 1000) return cached;
    verified.delete(token);
    return undefined;
  }

  /** Returns the claims, or null for ANY defect: the caller answers 401 without saying which. */
  async function verify(token: string): Promise<Readonly<AccessTokenClaims> | null> {
    if (token.length > MAX_TOKEN_LENGTH) return null;
    const cached = remembered(token);
    if (cached) return cached;
    if (!COMPACT_JWS.test(token)) return null;
    try {
      const { payload } = await jwtVerify(token, jwks, {
        currentDate: new Date(now()),
        algorithms: [...ALLOWED_ALGORITHMS],
        typ: TOKEN_TYPE,
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ['sub', 'exp', 'iat', 'jti', SESSION_CLAIM, FINGERPRINT_CLAIM],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        // Also rejects an `iat` in the future (T07) and tokens older than any we issue.
        maxTokenAge: settings.ttlSeconds,
      });
      const claims = Claims.safeParse(payload);
      if (!claims.success) return null;
      const c = claims.data;
      const result = Object.freeze({ sub: c.sub, sid: c[SESSION_CLAIM], jti: c.jti, fgp: c[FINGERPRINT_CLAIM], iat: c.iat, exp: c.exp });
      remember(token, result);
      return result;
    } catch {
      return null;
    }
  }

  /** How many verified tokens are remembered now (for tests and metrics). */
  const cachedTokens = () => verified.size;

  return { issue, verify, remembered, cachedTokens };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
