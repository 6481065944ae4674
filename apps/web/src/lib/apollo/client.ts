// Apollo clients: one per browser tab, and a new one for every server-side request.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, Observable, type NormalizedCacheObject } from '@apollo/client';
import { CSRF_HEADER } from '@app/shared';
import merge from 'deepmerge';
import { useMemo } from 'react';
import { refreshLog } from '../auth/refresh-log';
import { requestRefresh } from '../auth/refresh-request';
import { endLocalSession } from '../auth/sign-out';
import { createTokenRefresher, type TokenRefresher } from '../auth/token-refresher';
import { tokenStore } from '../auth/token-store';
import { GRAPHQL_PATH, graphqlWsUrl } from '../config';
import { createLinkChain } from './links';
import type { ConnectedInfo, LiveSocket } from './live-socket';

export type Client = ApolloClient<NormalizedCacheObject>;

/**
 * The cache every client uses, with the type policies that keep server lists whole. `server`: a
 * cache for one server-side request, written and read once, where memoising results (Apollo's
 * `resultCaching`) costs more than it can save.
 */
export function createCache(options: { server?: boolean } = {}): InMemoryCache {
  return new InMemoryCache({
    resultCaching: !options.server,
    typePolicies: {
      Query: {
        fields: {
          // Lists come whole from the server: the incoming list replaces the cached one.
          notes: { merge: false },
          sessions: { merge: false },
        },
      },
    },
  });
}

// Browser ───────────────────────────────────────────────────────────────────────────────────────
let browserClient: Client | undefined;
let browserRefresher: TokenRefresher | undefined;
let browserLiveSocket: LiveSocket | undefined;

function createBrowserClient(): Client {
  const endSession = () => void endLocalSession(client, { reason: 'session-ended', broadcast: true });
  const refresher = createTokenRefresher({
    tokenStore,
    refresh: () => requestRefresh(GRAPHQL_PATH),
    onSessionEnded: endSession,
    onRefreshed: (token) =>
      refreshLog.add({
        kind: 'silent',
        jti: typeof token.claims.jti === 'string' ? token.claims.jti : undefined,
        expiresAt: token.expiresAt,
      }),
    onRefreshFailed: (error) => refreshLog.add({ kind: 'failed', detail: error.message }),
  });
  const { link, live } = createLinkChain({
    uri: GRAPHQL_PATH,
    wsUrl: graphqlWsUrl(window.location),
    tokenStore,
    refresher,
    onSessionEnded: endSession,
  });
  const client: Client = new ApolloClient({ link, cache: createCache() });
  browserRefresher = refresher;
  browserLiveSocket = live;
  return client;
}

/**
 * Keep this tab's access token fresh by itself while the caller holds it (an idle page that should
 * show, or need, a live token). Returns the release function. Browser only.
 */
export function keepTokenFresh(): () => void {
  return browserRefresher?.keepFresh() ?? (() => {});
}

/** Run `listener` after every (re)connect of the live socket. Browser only. */
export function onLiveSocketConnected(listener: (info: ConnectedInfo) => void): () => void {
  return browserLiveSocket?.onConnected(listener) ?? (() => {});
}

// Server ──────────────────────────────────────────────────────────────────────────────────────────
export type ServerClientOptions = {
  /** The API's GraphQL URL (API_URL + /graphql). */
  uri: string;
  accessToken: string;
  /** The auth cookies as the browser will hold them after this request (fingerprint included). */
  cookieHeader: string;
  /** user-agent / x-forwarded-for of the person's request, so the API sees who it serves. */
  forwardedHeaders: Record<string, string>;
  /** The transport (SSR passes ../ssr/api-fetch.ts: node:http, kept-alive); default the global fetch. */
  fetch?: typeof fetch;
};

/**
 * A client for ONE server-side request. WHY never shared: a module-level client on the server would
 * carry one person's cache (and token) into the next person's page (THREATS T33).
 */
export function createServerApolloClient(options: ServerClientOptions): Client {
  return new ApolloClient({
    ssrMode: true,
    link: new HttpLink({
      uri: options.uri,
      fetch: options.fetch,
      headers: {
        ...options.forwardedHeaders,
        authorization: `Bearer ${options.accessToken}`,
        // Contract: a bearer token must arrive with its fingerprint cookie.
        cookie: options.cookieHeader,
        [CSRF_HEADER]: '1',
      },
    }),
    cache: createCache({ server: true }),
  });
}

/**
 * The client _app renders with on the server: cache only. Data is fetched in getServerSideProps;
 * a network request during render would be a bug, so it fails loudly instead of going out unauthenticated.
 */
function createRenderOnlyClient(): Client {
  return new ApolloClient({
    ssrMode: true,
    link: new ApolloLink(
      (operation) =>
        new Observable((observer) => observer.error(new Error(`"${operation.operationName}" must be fetched in getServerSideProps`))),
    ),
    cache: createCache({ server: true }),
  });
}

// Hydration ───────────────────────────────────────────────────────────────────────────────────────
/**
 * The client for this render, seeded with the cache that getServerSideProps extracted. In the browser
 * the one client keeps its cache across page navigations, and each page's fresh server data is merged
 * in. Arrays are replaced, not concatenated: the server's list is newer than ours (a note deleted
 * elsewhere must not come back).
 */
export function initializeApollo(initialState?: NormalizedCacheObject): Client {
  if (typeof window === 'undefined') {
    // A new, empty cache per server render: nothing to merge with.
    const client = createRenderOnlyClient();
    if (initialState) client.cache.restore(initialState);
    return client;
  }
  const client = (browserClient ??= createBrowserClient());
  if (initialState) {
    const merged = merge(client.extract(), initialState, {
      arrayMerge: (_existing, incoming) => incoming,
    });
    client.cache.restore(merged);
  }
  return client;
}

export function useApollo(initialState?: NormalizedCacheObject): Client {
  return useMemo(() => initializeApollo(initialState), [initialState]);
}
