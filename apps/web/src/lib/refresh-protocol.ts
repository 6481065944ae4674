// The refreshAccessToken exchange, as the web app speaks it: ONE definition of the request and ONE
// reading of the answer, used by the browser (../lib/auth/refresh-request.ts, behind the link chain
// and the live socket) and by the page server (./ssr/refresh-with-cookies.ts). Runs in both places:
// no browser or Node API here, only fetch's Request/Response shapes.
//
// The answer has exactly three readings (docs/api-contract.md, "refreshAccessToken"):
//   ok               a new access token (and, on the wire, a rotated refresh cookie);
//   unauthenticated  the refresh token is missing, expired, revoked or reused: the session is over;
//   anything else    the API is unreachable, overloaded, rate-limiting or broken: an outage, which
//                    must never sign anybody out (it throws RefreshFailedError).
import { CSRF_HEADER, REFRESH_ACCESS_TOKEN } from '@app/shared';
import type { GraphQLFormattedError } from 'graphql';
import { isUnauthenticated } from './errors';
import type { AuthPayloadFieldsFragment as AuthPayload } from './graphql';

export const REFRESH_OPERATION_NAME = 'RefreshAccessToken';

/**
 * The POST that trades the cookies for an access token. `headers` adds to (never replaces) the
 * protocol's own: the page server passes the browser's cookies and forwarded headers.
 */
export function refreshRequestInit(
  headers: Record<string, string> = {},
  /** The refresh document; the page server's adds its page's query (./ssr/page-query.ts). */
  document: string = REFRESH_ACCESS_TOKEN,
): RequestInit & { method: 'POST'; headers: Record<string, string>; body: string } {
  return {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      // Contract: every POST carries the CSRF header (OWASP CSRF CS, "custom request header").
      [CSRF_HEADER]: '1',
    },
    body: JSON.stringify({ operationName: REFRESH_OPERATION_NAME, query: document }),
  };
}

export type RefreshAnswer = { kind: 'ok'; payload: AuthPayload } | { kind: 'unauthenticated'; status: number; body: unknown };

/** Not an answer about the session (5xx, 429, a malformed body): the caller shows an error. */
export class RefreshFailedError extends Error {
  override readonly name = 'RefreshFailedError';
  constructor(
    /** Shaped like Apollo's ServerError (`statusCode`, `result`), so error readers recognise it. */
    readonly statusCode: number,
    readonly result: unknown,
  ) {
    super(`refreshAccessToken failed (HTTP ${statusCode})`);
  }
}

type RefreshBody = {
  data?: { refreshAccessToken?: AuthPayload | null } | null;
  errors?: GraphQLFormattedError[];
};

/** What reading the answer needs: fetch's Response, or the page server's plain reading of one. */
export type RefreshResponse = Pick<Response, 'ok' | 'status' | 'json'>;

/** Read a refreshAccessToken response: ok, unauthenticated, or throw RefreshFailedError. */
export async function readRefreshResponse(response: RefreshResponse): Promise<RefreshAnswer> {
  const body = (await response.json().catch(() => undefined)) as RefreshBody | undefined;
  const payload = body?.data?.refreshAccessToken;
  const hasErrors = Array.isArray(body?.errors) && body.errors.length > 0;
  if (response.ok && !hasErrors && typeof payload?.accessToken === 'string' && payload.accessToken) {
    return { kind: 'ok', payload };
  }
  // UNAUTHENTICATED in the body, or HTTP 401, whichever the API sends (the contract says both).
  if (isUnauthenticated(body?.errors, { statusCode: response.status, result: body })) {
    return { kind: 'unauthenticated', status: response.status, body };
  }
  throw new RefreshFailedError(response.status, body);
}
