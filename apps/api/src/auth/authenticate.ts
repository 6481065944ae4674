// Who is calling? Bearer access token + fingerprint cookie, checked on EVERY request, without
// touching the database (the deny-list is in memory).
//  - no Authorization header → anonymous (the contract's `me: null`);
//  - a present but bad header, token, fingerprint or revoked session → 401, never anonymous.
// OWASP JWT Cheat Sheet, "Token Sidejacking": the token is only usable together with the
// HttpOnly cookie whose SHA-256 it carries, so a token stolen via XSS or a log is useless alone.
import type { AccessTokenClaims, AccessTokens } from './access-token.js';
import { unauthenticated } from './errors.js';
import { digestsEqual, isWellFormedSecret, sha256Hex } from './secrets.js';

export type Viewer = { userId: string; sessionId: string; claims: AccessTokenClaims };

/** Has this session been revoked? The deny-list, or the database when the deny-list may be stale. */
export type IsRevoked = (sessionId: string) => boolean | Promise<boolean>;

/** RFC 6750 §2.1: `Bearer` (case-insensitive scheme), one space, one token. */
const BEARER = /^Bearer ([^\s,]+)$/i;

export async function authenticate(
  input: { authorization: string | null; fingerprintCookie: string | undefined },
  deps: { accessTokens: AccessTokens; isRevoked: IsRevoked },
): Promise<Viewer | null> {
  if (input.authorization === null) return null;
  const token = BEARER.exec(input.authorization)?.[1];
  if (!token) throw unauthenticated('Invalid authorization header');

  const claims = await deps.accessTokens.verify(token);
  if (!claims) throw unauthenticated('Invalid or expired access token');

  if (!isWellFormedSecret(input.fingerprintCookie) || !digestsEqual(sha256Hex(input.fingerprintCookie), claims.fgp)) {
    throw unauthenticated('Invalid or expired access token');
  }
  if (await deps.isRevoked(claims.sid)) throw unauthenticated('Session revoked');

  return { userId: claims.sub, sessionId: claims.sid, claims };
}
