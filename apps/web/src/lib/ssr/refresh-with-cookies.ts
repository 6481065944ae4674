// Step 1 of every protected page's SSR: trade the browser's cookies for an access token.
import { REFRESH_COOKIE } from '@app/shared';
import type { AuthPayloadFieldsFragment as AuthPayload } from '../graphql';
import { readRefreshResponse, refreshRequestInit } from '../refresh-protocol';
import { apiFetch } from './api-fetch';
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
    fetch?: typeof fetch;
  } = {},
): Promise<ServerRefreshResult> {
  const { deadline = startDeadline(), document, fetch: fetchImpl = apiFetch } = options;
  try {
    // The deadline covers connecting, the headers and the body.
    const response = await fetchImpl(uri, {
      ...refreshRequestInit({ ...forwarded, cookie: cookieHeader }, document),
      signal: deadline.signal,
    });
    // The rotated refresh cookie (and the clearing Set-Cookie of a refused one) must reach the browser
    // whatever the outcome: otherwise its next refresh presents a rotated-away token = reuse.
    const setCookies = response.headers.getSetCookie();
    const answer = await readRefreshResponse(response);
    if (answer.kind === 'unauthenticated') return { kind: 'unauthenticated', setCookies };
    const rotated = setCookies.some((c) => c.startsWith(`${REFRESH_COOKIE}=`));
    return { kind: 'ok', payload: answer.payload, setCookies, rotated };
  } catch (error) {
    if (deadline.signal.aborted) throw new ApiTimeoutError(deadline.timeoutMs);
    throw error;
  }
}
