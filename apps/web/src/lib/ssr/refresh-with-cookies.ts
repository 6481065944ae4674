// Step 1 of every protected page's SSR: trade the browser's cookies for an access token.
import { REFRESH_COOKIE } from '@app/shared';
import type { AuthPayload } from '../graphql';
import { readRefreshResponse, refreshRequestInit } from '../refresh-protocol';

export type ServerRefreshResult =
  | { kind: 'ok'; payload: AuthPayload; setCookies: string[]; rotated: boolean }
  | { kind: 'unauthenticated'; setCookies: string[] };

/**
 * POST refreshAccessToken to the API with the refresh and fingerprint cookies (the request and its
 * reading are ../refresh-protocol.ts, shared with the browser).
 * "unauthenticated" (no/expired/revoked/reused refresh token) is an answer; anything else that goes
 * wrong (API down, 5xx) throws — an outage must show an error page, not sign the person out.
 */
export async function refreshWithCookies(
  uri: string,
  cookieHeader: string,
  forwarded: Record<string, string>,
  fetchImpl: typeof fetch = fetch,
): Promise<ServerRefreshResult> {
  const response = await fetchImpl(uri, refreshRequestInit({ ...forwarded, cookie: cookieHeader }));
  // The rotated refresh cookie (and the clearing Set-Cookie of a refused one) must reach the browser
  // whatever the outcome: otherwise its next refresh presents a rotated-away token = reuse.
  const setCookies = response.headers.getSetCookie();
  const answer = await readRefreshResponse(response);
  if (answer.kind === 'unauthenticated') return { kind: 'unauthenticated', setCookies };
  const rotated = setCookies.some((c) => c.startsWith(`${REFRESH_COOKIE}=`));
  return { kind: 'ok', payload: answer.payload, setCookies, rotated };
}
