// Who is calling? Bearer access token + fingerprint cookie, checked on EVERY request, without
// touching the database (the deny-list is in memory).
//  - no Authorization header → anonymous (the contract's `me: null`);
//  - a present but bad header, token, fingerprint or revoked session → 401, never anonymous.
// OWASP JWT Cheat Sheet, "Token Sidejacking": the token is only usable together with the
// HttpOnly cookie whose SHA-256 it carries, so a token stolen via XSS or a log is useless alone.
import type { AccessTokenClaims, AccessTokens } from './access-token.js';
import { unauthenticated } from './errors.js';
import { digestMatches, isWellFormedSecret } from './secrets.js';

export type Viewer = { userId: string; sessionId: string; claims: AccessTokenClaims };

/** Has this session been revoked? The deny-list, or the database when the deny-list may be stale. */
export type IsRevoked = (sessionId: string) => boolean | Promise<boolean>;

/** RFC 6750 §2.1: `Bearer` (case-insensitive scheme), one space, one token. */
const BEARER = /^Bearer ([^\s,]+)$/i;
const BEARER_SCHEME = /^Bearer /i;
const BEARER_SCHEME_LENGTH = 'Bearer '.length;

async function verifyHeader(authorization: string, accessTokens: AccessTokens): Promise<Readonly<AccessTokenClaims>> {
  const token = BEARER.exec(authorization)?.[1];
  if (!token) throw unauthenticated('Invalid authorization header');
  const claims = await accessTokens.verify(token);
  if (!claims) throw unauthenticated('Invalid or expired access token');
  return claims;
}

export async function authenticate(
  input: { authorization: string | null; fingerprintCookie: string | undefined },
  deps: { accessTokens: AccessTokens; isRevoked: IsRevoked },
): Promise<Viewer | null> {
  if (input.authorization === null) return null;
  // A token we verified before (the usual request) is a compact JWS, which the header grammar
  // below accepts: its exact bytes after `Bearer ` are looked up first, and only a miss needs the
  // grammar and the full verification. Either way the same header/token is accepted or refused.
  const remembered = BEARER_SCHEME.test(input.authorization)
    ? deps.accessTokens.remembered(input.authorization.slice(BEARER_SCHEME_LENGTH))
    : undefined;
  const claims = remembered ?? (await verifyHeader(input.authorization, deps.accessTokens));

  if (!isWellFormedSecret(input.fingerprintCookie) || !digestMatches(input.fingerprintCookie, claims.fgp)) {
    throw unauthenticated('Invalid or expired access token');
  }
  // Synchronous while the deny-list is authoritative: no await (and no promise) then.
  const revoked = deps.isRevoked(claims.sid);
  if (revoked === true || (revoked !== false && (await revoked))) throw unauthenticated('Session revoked');

  return { userId: claims.sub, sessionId: claims.sid, claims };
}
