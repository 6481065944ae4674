// Step 1 of every protected page's SSR: trade the browser's cookies for an access token.
import { REFRESH_COOKIE } from '@app/shared';
import type { AuthPayloadFieldsFragment as AuthPayload } from '../graphql';
import { readRefreshResponse, refreshRequestInit, type RefreshResponse } from '../refresh-protocol';
import { apiRequest, type ApiAnswer } from './api-fetch';
import { ApiTimeoutError, startDeadline, type Deadline } from './api-deadline';

export type ServerRefreshResult =
  | { kind: 'ok'; payload: AuthPayload & { query?: unknown }; setCookies: string[]; rotated: boolean }
  | { kind: 'unauthenticated'; setCookies: string[] };

/**
 * POST refreshAccessToken to the API with the refresh and fingerprint cookies.
 * "unauthenticated" (no/expired/revoked/reused refresh token) is an answer; anything else that goes
 * wrong (API down, 5xx, the page's deadline passed) throws — an outage must show an error page, not
 * sign the person out.
 */
export async function refreshWithCookies(
  uri: string,
  cookieHeader: string,
  forwarded: Record<string, string>,
  options: {
    deadline?: Deadline;
    /** The refresh document: the plain one, or one that also reads the page's data (./page-query.ts). */
    document?: string;
    /** The transport (default ./api-fetch.ts); tests pass their own. */
    request?: typeof apiRequest;
  } = {},
): Promise<ServerRefreshResult> {
  const { document, request = apiRequest } = options;
  // A deadline of its own when the caller has none; ended with this call.
  const own = options.deadline ? undefined : startDeadline();
  const deadline = options.deadline ?? own!;
  try {
    // The deadline covers connecting, the headers and the body.
    const answered = await request(uri, {
      ...refreshRequestInit({ ...forwarded, cookie: cookieHeader }, document),
      signal: deadline.signal,
    });
    // The rotated refresh cookie, and the clearing Set-Cookie of a refused one, go back with both
    // answers about the session. When the answer is an outage instead (this throws), nothing is
    // relayed: the next page presents the previous token, whose successor was never presented, and
    // gets that same successor again (ADR 0008), so no rotation is lost and nothing reads as reuse.
    const setCookies = answered.headers['set-cookie'] ?? [];
    const answer = await readRefreshResponse(asRefreshResponse(answered));
    if (answer.kind === 'unauthenticated') return { kind: 'unauthenticated', setCookies };
    const rotated = setCookies.some((c) => c.startsWith(`${REFRESH_COOKIE}=`));
    return { kind: 'ok', payload: answer.payload, setCookies, rotated };
  } catch (error) {
    if (deadline.signal.aborted) throw new ApiTimeoutError(deadline.timeoutMs);
    throw error;
  } finally {
    own?.end();
  }
}

/** The answer read as readRefreshResponse reads a Response: status, ok, the body as JSON. */
function asRefreshResponse(answered: ApiAnswer): RefreshResponse {
  // What fetch's Response refuses is no answer about the session: an outage, never a sign-out.
  if (answered.status < 200 || answered.status > 599) throw new Error(`The API answered with HTTP ${answered.status}`);
  return {
    status: answered.status,
    ok: answered.status >= 200 && answered.status < 300,
    // Like Response.json(): a leading byte-order mark is not part of the JSON, and a body that is
    // not JSON rejects (readRefreshResponse calls that an outage).
    json: async () => JSON.parse(answered.body.toString('utf8').replace(/^\uFEFF/, '')) as unknown,
  };
}
