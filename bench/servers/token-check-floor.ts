// Alternative 8: the floor of the authenticated ÷ anonymous figure. Bare Yoga (same schema, same
// settings as servers/bare-yoga.ts) plus ONE plugin that does the least every request of this
// design must do (OWASP JWT Cheat Sheet, "Token Sidejacking"), written as plainly as it can be:
//  - the bearer token looked up among tokens verified before (the first sight of a token is a full
//    jose verification against the API's JWKS: EdDSA pinned, typ, iss, aud, exp);
//  - the fingerprint cookie's SHA-256 compared with the token's `fgp` claim, without an early exit;
//  - the session looked up in a deny-list.
// No header grammar, no error codes, no rate limit, no CSRF, no query limits: not something to
// deploy, a measuring stick. Its authenticated ÷ anonymous req/s is what checking a token costs a
// request on this machine when nothing else is around it.
import { createServer } from 'node:http';
import { sha256 } from '@noble/hashes/sha2.js';
import { parse } from 'cookie';
import { createGraphQLError, createYoga, type Plugin } from 'graphql-yoga';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { BARE_YOGA_OPTIONS, portFromEnv, schema } from './schema.js';

const jwksUrl = process.env['API_JWKS_URL'];
const fingerprintCookie = process.env['FINGERPRINT_COOKIE'];
if (!jwksUrl || !fingerprintCookie) throw new Error('API_JWKS_URL and FINGERPRINT_COOKIE are required');
const jwks = createRemoteJWKSet(new URL(jwksUrl));

type Viewer = { userId: string; sessionId: string } | null;
type Claims = { sub: string; sid: string; exp: number; fgp: Uint8Array };
const verified = new Map<string, Claims>();
const revokedSessions = new Set<string>();

async function verifyOnce(token: string): Promise<Claims> {
  const { payload } = await jwtVerify(token, jwks, {
    algorithms: ['EdDSA'],
    typ: 'at+jwt',
    issuer: process.env['JWT_ISSUER']!,
    audience: process.env['JWT_AUDIENCE']!,
  });
  const claims = { sub: payload.sub!, sid: String(payload['sid']), exp: payload.exp!, fgp: Buffer.from(String(payload['fgp']), 'hex') };
  verified.set(token, claims);
  return claims;
}

// The fastest digest found for this (the API's auth/secrets.ts, ADR 0016): the cookie's ASCII bytes
// straight into @noble/hashes' SHA-256, no native call; compared without an early exit.
function fingerprintMatches(cookie: string | undefined, expected: Uint8Array): boolean {
  if (cookie?.length !== 43) return false;
  const bytes = new Uint8Array(43);
  for (let i = 0; i < 43; i++) {
    const code = cookie.charCodeAt(i);
    if (code > 0x7f) return false; // our secrets are base64url: anything else is not one
    bytes[i] = code;
  }
  const actual = sha256(bytes);
  let diff = actual.length ^ expected.length;
  for (let i = 0; i < actual.length; i++) diff |= actual[i]! ^ (expected[i] ?? 0);
  return diff === 0;
}

const unauthorized = () => createGraphQLError('Unauthorized', { extensions: { http: { status: 401 } } });

function check(claims: Claims | null, cookieHeader: string | null): Viewer {
  const cookies = parse(cookieHeader ?? '');
  if (!claims || !fingerprintMatches(cookies[fingerprintCookie!], claims.fgp) || revokedSessions.has(claims.sid)) {
    throw unauthorized();
  }
  return { userId: claims.sub, sessionId: claims.sid };
}

// Synchronous for a token seen before (the usual request): no promise, no await.
const useTokenCheck = (): Plugin<{ viewer: Viewer }> => ({
  onContextBuilding({ context, extendContext }) {
    const { headers } = context.request;
    const authorization = headers.get('authorization');
    if (authorization === null) return extendContext({ viewer: null });
    const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : '';
    const cached = verified.get(token);
    if (cached && cached.exp * 1000 > Date.now()) return extendContext({ viewer: check(cached, headers.get('cookie')) });
    return verifyOnce(token).then(
      (claims) => extendContext({ viewer: check(claims, headers.get('cookie')) }),
      () => {
        throw unauthorized();
      },
    );
  },
});

const yoga = createYoga({ schema, ...BARE_YOGA_OPTIONS, plugins: [useTokenCheck()] });
createServer(yoga).listen(portFromEnv(), '127.0.0.1');
