// The browser's Apollo link chain, in the order an operation travels through it:
//
//   errorLink → refreshLink → authLink → transport (graphql-ws for subscriptions, HTTP otherwise)
//
//   1. errorLink    sees every result on its way back. UNAUTHENTICATED / HTTP 401 on a request made
//                   with a session means the session is over: sign out locally (token, cache, other
//                   tabs) and go to /signin?next=…
//   2. refreshLink  before an operation leaves: if the access token is inside its refresh margin,
//                   refresh it first. Operations arriving meanwhile wait in a queue behind that one
//                   refresh (apollo-link-token-refresh), and the refresh itself waits for the other
//                   tabs' refreshes (Web Locks, see ../auth/refresh-request.ts).
//   3. authLink     adds `Authorization: Bearer <token>` from the in-memory store.
//   4. transport    HTTP POST with the CSRF header, or graphql-ws for subscriptions.
//
// Everything the chain needs comes in through `LinkDeps`, so tests can run it against a real server.
import { ApolloLink, HttpLink, split } from '@apollo/client';
import { onError } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { CSRF_HEADER, WS_CLOSE_FORBIDDEN, WS_CLOSE_UNAUTHENTICATED } from '@app/shared';
import { TokenRefreshLink } from 'apollo-link-token-refresh';
import { createClient, type Client as WsClient } from 'graphql-ws';
import type { AccessToken, TokenStore } from '../auth/token-store';
import { isUnauthenticated } from '../errors';
import type { AuthPayload } from '../graphql';

export type LinkDeps = {
  /** HTTP endpoint; in the browser the same-origin proxy path `/api/graphql`. */
  uri: string;
  /** graphql-ws endpoint. Omit to send everything over HTTP (SSR has no subscriptions). */
  wsUrl?: string;
  tokenStore: TokenStore;
  /** Sends refreshAccessToken with the cookies; resolves once the response headers are in. */
  refresh: () => Promise<Response>;
  /** The session is over (revoked, signed out elsewhere, refresh refused): sign out locally. */
  onSessionEnded: () => void;
  onRefreshed?: (token: AccessToken) => void;
  onRefreshFailed?: (error: Error) => void;
  fetch?: typeof fetch;
  /** For Node (tests): browsers have a global WebSocket. */
  webSocketImpl?: unknown;
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
/** Error carrying the refusal's status, shaped like Apollo's ServerError so errorLink recognises it. */
export class RefreshRefusedError extends Error {
  override readonly name = 'RefreshRefusedError';
  constructor(
    readonly statusCode: number,
    readonly result: unknown,
  ) {
    super(`refreshAccessToken refused (HTTP ${statusCode})`);
  }
}

/** Accept `{ data: { refreshAccessToken: AuthPayload } }` or throw RefreshRefusedError. */
async function parseRefreshResponse(response: Response): Promise<unknown> {
  const body: unknown = await response.json().catch(() => undefined);
  const payload = (body as { data?: { refreshAccessToken?: AuthPayload } } | undefined)?.data
    ?.refreshAccessToken;
  const hasErrors = Array.isArray((body as { errors?: unknown } | undefined)?.errors);
  if (!response.ok || hasErrors || !payload?.accessToken) {
    // A 200 carrying UNAUTHENTICATED is treated like the 401 the contract specifies.
    throw new RefreshRefusedError(response.ok ? 401 : response.status, body);
  }
  return body;
}

export function createRefreshLink(deps: LinkDeps): ApolloLink {
  const { tokenStore } = deps;
  return new TokenRefreshLink<AuthPayload>({
    // TokenRefreshLink reads `data[accessTokenField]`: here the whole AuthPayload.
    accessTokenField: 'refreshAccessToken',
    // "Valid or undefined" = go ahead without refreshing: no token (anonymous) or not yet in the margin.
    isTokenValidOrUndefined: async () => !tokenStore.needsRefresh(),
    fetchAccessToken: deps.refresh,
    handleResponse: () => parseRefreshResponse,
    handleFetch: (payload) => {
      tokenStore.set(payload.accessToken);
      const token = tokenStore.get();
      if (token) deps.onRefreshed?.(token);
    },
    // The queued operations fail with this same error and pass through errorLink, which decides
    // about signing out (a 401 does; a network blip does not).
    handleError: (error) => deps.onRefreshFailed?.(error),
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

export function createWsClient({ wsUrl, tokenStore, webSocketImpl }: LinkDeps): WsClient {
  if (!wsUrl) throw new Error('createWsClient needs wsUrl');
  return createClient({
    url: wsUrl,
    // Connect only when the first subscription starts, not on page load.
    lazy: true,
    // Contract: the token travels in connection_init; the upgrade request carries the fingerprint
    // cookie. Read at every (re)connect, so a reconnect uses the newest token.
    connectionParams: () => {
      const token = tokenStore.get();
      return token ? { authorization: `Bearer ${token.jwt}` } : {};
    },
    // 4401/4403: the server refused or revoked our authorisation. Retrying with the same token is
    // pointless; the subscription errors and the next operation refreshes or signs out.
    shouldRetry: (event) =>
      !(
        typeof event === 'object' &&
        event !== null &&
        'code' in event &&
        (event.code === WS_CLOSE_UNAUTHENTICATED || event.code === WS_CLOSE_FORBIDDEN)
      ),
    ...(webSocketImpl ? { webSocketImpl } : {}),
  });
}

export function createTransportLink(deps: LinkDeps): ApolloLink {
  const http = createHttpLink(deps);
  if (!deps.wsUrl) return http;
  const ws = new GraphQLWsLink(createWsClient(deps));
  return split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    ws,
    http,
  );
}

// The chain ───────────────────────────────────────────────────────────────────────────────────────
export function createLinkChain(deps: LinkDeps): ApolloLink {
  return ApolloLink.from([
    createErrorLink(deps),
    createRefreshLink(deps),
    createAuthLink(deps),
    createTransportLink(deps),
  ]);
}
