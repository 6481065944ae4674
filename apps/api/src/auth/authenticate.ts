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

/**
 * The caller of a request, or null when it sends no Authorization header; throws UNAUTHENTICATED
 * for anything else that does not prove a live session. Synchronous for the usual request (no
 * header, or a token verified before, while the deny-list is authoritative): no promise then, so
 * the request's other work does not wait a turn for it (issue 12). A promise only when the token
 * must be verified or the database asked.
 */
export function authenticate(
  input: { authorization: string | null; fingerprintCookie: string | undefined },
  deps: { accessTokens: AccessTokens; isRevoked: IsRevoked },
): Viewer | null | Promise<Viewer | null> {
  if (input.authorization === null) return null;
  // A token we verified before (the usual request) is a compact JWS, which the header grammar
  // below accepts: its exact bytes after `Bearer ` are looked up first, and only a miss needs the
  // grammar and the full verification. Either way the same header/token is accepted or refused.
  const remembered = BEARER_SCHEME.test(input.authorization)
    ? deps.accessTokens.remembered(input.authorization.slice(BEARER_SCHEME_LENGTH))
    : undefined;
  if (remembered) return boundViewer(remembered, input.fingerprintCookie, deps.isRevoked);
  return verifyHeader(input.authorization, deps.accessTokens).then((claims) =>
    boundViewer(claims, input.fingerprintCookie, deps.isRevoked),
  );
}

/** The token's caller, if the request also holds the fingerprint the token is bound to and its session lives. */
function boundViewer(
  claims: Readonly<AccessTokenClaims>,
  fingerprintCookie: string | undefined,
  isRevoked: IsRevoked,
): Viewer | Promise<Viewer> {
  if (!isWellFormedSecret(fingerprintCookie) || !digestMatches(fingerprintCookie, claims.fgp)) {
    throw unauthenticated('Invalid or expired access token');
  }
  const viewer = { userId: claims.sub, sessionId: claims.sid, claims };
  // Synchronous while the deny-list is authoritative: no promise then.
  const revoked = isRevoked(claims.sid);
  if (revoked === false) return viewer;
  if (revoked === true) throw unauthenticated('Session revoked');
  // Always a native promise (whatever thenable isRevoked gave), so that callers can tell it from a viewer.
  return Promise.resolve(revoked).then((isOut) => {
    if (isOut) throw unauthenticated('Session revoked');
    return viewer;
  });
}
