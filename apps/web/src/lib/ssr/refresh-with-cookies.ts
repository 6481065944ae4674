// Step 1 of every protected page's SSR: trade the browser's cookies for an access token.
import { CSRF_HEADER, REFRESH_ACCESS_TOKEN, REFRESH_COOKIE } from '@app/shared';
import type { GraphQLFormattedError } from 'graphql';
import { isUnauthenticated } from '../errors';
import type { AuthPayload } from '../graphql';
import { ApiTimeoutError, startDeadline, type Deadline } from './api-deadline';

export type ServerRefreshResult =
  | { kind: 'ok'; payload: AuthPayload; setCookies: string[]; rotated: boolean }
  | { kind: 'unauthenticated'; setCookies: string[] };

/**
 * POST refreshAccessToken to the API with the refresh and fingerprint cookies.
 * "unauthenticated" (no/expired/revoked/reused refresh token) is an answer; anything else that goes
 * wrong (API down, 5xx) throws — an outage must show an error page, not sign the person out.
 */
export async function refreshWithCookies(
  uri: string,
  cookieHeader: string,
  forwarded: Record<string, string>,
  deadline: Deadline = startDeadline(),
): Promise<ServerRefreshResult> {
  let response: Response;
  try {
    response = await fetch(uri, {
      method: 'POST',
      headers: {
        ...forwarded,
        'content-type': 'application/json',
        [CSRF_HEADER]: '1',
        cookie: cookieHeader,
      },
      body: JSON.stringify({ operationName: 'RefreshAccessToken', query: REFRESH_ACCESS_TOKEN }),
      // Covers connecting, the headers and (below) the body.
      signal: deadline.signal,
    });
  } catch (error) {
    if (deadline.signal.aborted) throw new ApiTimeoutError(deadline.timeoutMs);
    throw error;
  }
  // The rotated refresh cookie (and the clearing Set-Cookie of a refused one) must reach the browser
  // whatever the outcome: otherwise its next refresh presents a rotated-away token = reuse.
  const setCookies = response.headers.getSetCookie();
  const body = (await response.json().catch(() => {
    if (deadline.signal.aborted) throw new ApiTimeoutError(deadline.timeoutMs);
    return undefined;
  })) as
    | { data?: { refreshAccessToken?: AuthPayload } | null; errors?: GraphQLFormattedError[] }
    | undefined;
  const payload = body?.data?.refreshAccessToken;
  if (response.ok && payload?.accessToken) {
    const rotated = setCookies.some((c) => c.startsWith(`${REFRESH_COOKIE}=`));
    return { kind: 'ok', payload, setCookies, rotated };
  }
  if (isUnauthenticated(body?.errors, { statusCode: response.status, result: body })) {
    return { kind: 'unauthenticated', setCookies };
  }
  throw new Error(`refreshAccessToken failed: HTTP ${response.status}`);
}
