// The browser's Apollo link chain, in the order an operation travels through it:
//
//   errorLink → refreshLink → authLink → transport (the live socket for subscriptions, HTTP otherwise)
//
//   1. errorLink    sees every result on its way back. UNAUTHENTICATED / HTTP 401 on a request made
//                   with a session means the session is over: sign out locally (token, cache, other
//                   tabs) and go to /signin?next=…
//   2. refreshLink  apollo-link-token-refresh's TokenRefreshLink: before an operation leaves, if the
//                   access token is inside its refresh margin, refresh it first. Operations arriving
//                   meanwhile wait behind that one refresh (the tab's TokenRefresher,
//                   ../auth/token-refresher.ts, which the live socket and the idle-page timer share),
//                   and the refresh itself waits for the other tabs' refreshes (Web Locks, see
//                   ../auth/refresh-request.ts).
//   3. authLink     adds `Authorization: Bearer <token>` from the in-memory store.
//   4. transport    HTTP POST with the CSRF header, or the live socket (./live-socket.ts) for
//                   subscriptions.
//
// Everything the chain needs comes in through `LinkDeps`, so tests can run it against a real server.
import { ApolloLink, HttpLink, split } from '@apollo/client';
import { onError } from '@apollo/client/link/error';
import { getMainDefinition } from '@apollo/client/utilities';
import { TokenRefreshLink, type FetchAccessToken } from 'apollo-link-token-refresh';
import { CSRF_HEADER } from '@app/shared';
import type { TokenRefresher } from '../auth/token-refresher';
import type { AccessToken, TokenStore } from '../auth/token-store';
import { isUnauthenticated } from '../errors';
import { createLiveSocket, type LiveSocket } from './live-socket';

export type LinkDeps = {
  /** HTTP endpoint; in the browser the same-origin proxy path `/api/graphql`. */
  uri: string;
  /** graphql-ws endpoint. Omit to send everything over HTTP (SSR has no subscriptions). */
  wsUrl?: string;
  tokenStore: TokenStore;
  /** The tab's one refresher (refresh link, live socket and idle timer share it). */
  refresher: TokenRefresher;
  /** The session is over (revoked, signed out elsewhere, refresh refused): sign out locally. */
  onSessionEnded: () => void;
  fetch?: typeof fetch;
  /** For Node (tests): browsers have a global WebSocket. */
  webSocketImpl?: unknown;
  /** The live socket's wait after an unplanned close (./live-socket.ts); tests count it. */
  wsBackoff?: (retries: number) => Promise<void>;
};

// 1 ────────────────────────────────────────────────────────────────────────────────────────────────
export function createErrorLink({ tokenStore, onSessionEnded }: LinkDeps): ApolloLink {
  return onError(({ graphQLErrors, networkError }) => {
    if (!isUnauthenticated(graphQLErrors, networkError)) return;
    // Without a token this was an anonymous request (e.g. a wrong password on /signin): the form
    // shows the error. With a token, the server no longer accepts our session: end it here too.
    if (!tokenStore.get()) return;
    onSessionEnded();
  });
}

// 2 ────────────────────────────────────────────────────────────────────────────────────────────────
/**
 * apollo-link-token-refresh's TokenRefreshLink: before an operation leaves, if the access token is
 * inside its refresh margin (read from its `exp` with jwt-decode, ../auth/token-store.ts), refresh
 * first, so that a request never leaves with a token that could expire in flight. The link queues
 * the operations that arrive meanwhile and releases them after the refresh.
 *
 * The refresh itself is the tab's one refresher: `fetchAccessToken` delegates to it, so the link, the
 * live socket and the idle-page timer all join the same refresh (a second refresh would present a
 * rotated-away refresh cookie). The refresher stores the new token and decides what a failure means
 * (a refusal ends the session; an outage does not), so the link's hooks only pass its result on.
 * A failed refresh fails the queued operations with the refresher's error (RefreshRefusedError has
 * statusCode 401, so errorLink reads it as the end of the session; an outage is just an error).
 */
const REFRESHED_TOKEN_FIELD = 'accessToken';

export function createRefreshLink({ tokenStore, refresher }: LinkDeps): ApolloLink {
  return new TokenRefreshLink<AccessToken>({
    accessTokenField: REFRESHED_TOKEN_FIELD,
    // "Valid or undefined": anonymous, or outside the margin. Inside it, the link refreshes first.
    isTokenValidOrUndefined: async () => !tokenStore.needsRefresh(),
    // The library types this as a fetch() Response; ours resolves with the refresher's AccessToken,
    // which handleResponse below hands on unparsed (the refresher has already read the answer).
    fetchAccessToken: (() => refresher.refresh()) as unknown as FetchAccessToken,
    handleResponse: () => (token: AccessToken) => ({ [REFRESHED_TOKEN_FIELD]: token }),
    // The refresher has already put the token in the store, where authLink reads it.
    handleFetch: () => {},
    // The refresher has already reported the failure (onRefreshFailed / onSessionEnded); the link
    // fails the waiting operations with it. Without this the library would console.error it.
    handleError: () => {},
  });
}

// 3 ────────────────────────────────────────────────────────────────────────────────────────────────
export function createAuthLink({ tokenStore }: LinkDeps): ApolloLink {
  return new ApolloLink((operation, forward) => {
    const token = tokenStore.get();
    if (token) {
      operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
        headers: { ...headers, authorization: `Bearer ${token.jwt}` },
      }));
    }
    return forward(operation);
  });
}

// 4 ────────────────────────────────────────────────────────────────────────────────────────────────
export function createHttpLink({ uri, fetch }: LinkDeps): ApolloLink {
  return new HttpLink({
    uri,
    // Same origin only: the HttpOnly fingerprint cookie must accompany the bearer token (sidejacking
    // defence, OWASP JWT CS), and no other origin ever receives it.
    credentials: 'same-origin',
    // Contract + OWASP CSRF CS: a custom header that a cross-site form cannot send.
    headers: { [CSRF_HEADER]: '1' },
    ...(fetch ? { fetch } : {}),
  });
}

/** HTTP for queries and mutations; the live socket, when there is one, for subscriptions. */
export function createTransportLink(deps: LinkDeps, live?: LiveSocket): ApolloLink {
  const http = createHttpLink(deps);
  if (!live) return http;
  return split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    live.link,
    http,
  );
}

// The chain ───────────────────────────────────────────────────────────────────────────────────────
export type LinkChain = { link: ApolloLink; live: LiveSocket | undefined };

export function createLinkChain(deps: LinkDeps): LinkChain {
  const live = deps.wsUrl
    ? createLiveSocket({
        url: deps.wsUrl,
        tokenStore: deps.tokenStore,
        refresher: deps.refresher,
        webSocketImpl: deps.webSocketImpl,
        ...(deps.wsBackoff ? { backoff: deps.wsBackoff } : {}),
      })
    : undefined;
  const link = ApolloLink.from([createErrorLink(deps), createRefreshLink(deps), createAuthLink(deps), createTransportLink(deps, live)]);
  return { link, live };
}
