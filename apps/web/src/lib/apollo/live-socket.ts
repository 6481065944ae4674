// Subscriptions over graphql-ws, kept alive across access-token lifetimes.
//
// The API binds a socket to the token it was opened with: it closes it with 4401 at that token's
// `exp` and with 4403 when the session is revoked (docs/api-contract.md, "Subscriptions"). A stream
// that should outlive one token therefore has to move to a new socket with a new token, and do it
// BEFORE `exp`, so the person sees no gap:
//
//   1. While a subscription is open, the tab renews its token on time by itself (keepFresh).
//   2. Every new token replaces the socket: we close it (4205, ours) and graphql-ws reconnects at
//      once; connectionParams reads the token at every connect, and each active subscription is
//      sent again on the new socket. A token that arrives while a socket is connecting replaces
//      that socket as soon as it is up.
//   3. Every (re)connect is announced (onConnected) so that pages re-read what the stream may have
//      carried while no socket was listening (the list is then complete: nothing is missed).
//   4. If the renewal came too late anyway (a frozen or sleeping tab) and the server closed with
//      4401, the token is renewed and the subscription started again, once per close.
//   5. 4403 (revoked) is final: no retry with a token of a revoked session.
import { ApolloError, ApolloLink, Observable } from '@apollo/client';
import { print } from '@apollo/client/utilities';
import { WS_CLOSE_FORBIDDEN, WS_CLOSE_UNAUTHENTICATED } from '@app/shared';
import type { GraphQLFormattedError } from 'graphql';
import { createClient, type Client as WsClient } from 'graphql-ws';
import type { TokenRefresher } from '../auth/token-refresher';
import type { AccessToken, TokenStore } from '../auth/token-store';

/** Our own close code (application range 4000–4999, RFC 6455 §7.4.2): "reconnecting with a new token". */
export const WS_CLOSE_TOKEN_RENEWED = 4205;

export type LiveSocketDeps = {
  url: string;
  tokenStore: TokenStore;
  refresher: TokenRefresher;
  /** For Node (tests): browsers have a global WebSocket. */
  webSocketImpl?: unknown;
  /** Backoff after an unplanned close (network loss). Default: graphql-ws's randomised exponential. */
  backoff?: (retries: number) => Promise<void>;
};

export type ConnectedInfo = { reconnect: boolean };

export type LiveSocket = {
  /** The terminating link for subscription operations. */
  link: ApolloLink;
  /** Called after every connect, first or not, once the subscriptions have been sent on it. */
  onConnected(listener: (info: ConnectedInfo) => void): () => void;
  dispose(): Promise<void>;
};

type SocketLike = { close(code: number, reason: string): void };
type CloseLike = { code: number; reason: string };

const isCloseEvent = (value: unknown): value is CloseLike =>
  typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;

async function exponentialBackoff(retries: number): Promise<void> {
  const ms = 2 ** retries * 1000 + 300 + Math.floor(Math.random() * 2700);
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** The same error shapes Apollo's GraphQLWsLink produces. */
function toError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (isCloseEvent(error)) return new Error(`Socket closed with event ${error.code} ${error.reason}`);
  const graphQLErrors = (Array.isArray(error) ? error : [error]) as GraphQLFormattedError[];
  return new ApolloError({ graphQLErrors });
}

export function createLiveSocket(deps: LiveSocketDeps): LiveSocket {
  const { tokenStore, refresher } = deps;
  const backoff = deps.backoff ?? exponentialBackoff;
  const listeners = new Set<(info: ConnectedInfo) => void>();

  /** The token sent in the latest connection_init. */
  let socketToken: AccessToken | null = null;
  let openSocket: SocketLike | undefined;
  /** A token the server closed a socket for (4401): never offer it again. */
  let rejectedJwt: string | undefined;
  let renewing = false;
  let everConnected = false;
  /** Successful connects so far: a subscription restarts after 4401 once per connect (below). */
  let connects = 0;

  async function tokenForConnect(): Promise<AccessToken | null> {
    const current = tokenStore.get();
    if (!current) return null;
    try {
      if (current.jwt === rejectedJwt) return await refresher.refresh();
      return await refresher.ensureFresh();
    } catch {
      // Refused: the refresher has ended the session. Outage: offer what we have; if the server
      // refuses it, the subscription reports the error.
      return tokenStore.get();
    }
  }

  const client: WsClient = createClient({
    url: deps.url,
    // Connect when the first subscription starts, not on page load.
    lazy: true,
    // Contract: the token travels in connection_init; the upgrade request carries the fingerprint
    // cookie. Read at every (re)connect, so a new socket always has the newest token.
    connectionParams: async () => {
      socketToken = await tokenForConnect();
      return socketToken ? { authorization: `Bearer ${socketToken.jwt}` } : {};
    },
    retryAttempts: 5,
    // Our own renewal reconnects at once; anything else backs off. (4401 and 4403 never get here:
    // graphql-ws gives up on 4401 by itself, and we refuse 4403 below.)
    retryWait: async (retries) => {
      if (renewing) {
        renewing = false; // once: if that reconnect fails, the next attempt backs off
        return;
      }
      await backoff(retries);
    },
    shouldRetry: (event) => isCloseEvent(event) && event.code !== WS_CLOSE_FORBIDDEN,
    on: {
      connected: (socket) => {
        const connectedSocket = socket as SocketLike;
        openSocket = connectedSocket;
        connects += 1;
        const info = { reconnect: everConnected };
        everConnected = true;
        // After this event graphql-ws sends the waiting subscriptions on the new socket; a task
        // later, they are on the wire ahead of whatever a listener fetches to catch up. (The
        // protocol has no "subscribed" acknowledgement, so this orders the requests, not the
        // server's work: a note committed after the catch-up read but before the API registered
        // the subscription would still be missed. The API does less work for a subscribe than for
        // an HTTP query, so that window is in practice closed; see the e2e test live-notes.)
        setTimeout(() => {
          // Closed meanwhile: whatever connects next is announced instead.
          if (openSocket !== connectedSocket) return;
          // A token renewed while this socket was connecting (after connectionParams had read the
          // one before it) was not there to replace it: do it now, and announce the next connect.
          if (replaceIfStale()) return;
          for (const l of listeners) l(info);
        }, 0);
      },
      closed: (event) => {
        openSocket = undefined;
        // Only our own 4205 reconnects at once; a socket that was already closing for another
        // reason when we asked (an idle close, a revocation) backs off as usual.
        if (!isCloseEvent(event) || event.code !== WS_CLOSE_TOKEN_RENEWED) renewing = false;
        if (isCloseEvent(event) && event.code === WS_CLOSE_UNAUTHENTICATED) rejectedJwt = socketToken?.jwt;
      },
    },
    ...(deps.webSocketImpl ? { webSocketImpl: deps.webSocketImpl } : {}),
  });

  // (2) A new token replaces the open socket before the old token's `exp` closes it. Checked on
  // every new token, and on every connect (a token may arrive while a socket is connecting).
  function replaceIfStale(): boolean {
    const token = tokenStore.get();
    if (!openSocket || !token || !socketToken || token.jwt === socketToken.jwt) return false;
    renewing = true;
    openSocket.close(WS_CLOSE_TOKEN_RENEWED, 'Access token renewed');
    return true;
  }
  const stopWatchingToken = tokenStore.subscribe(replaceIfStale);

  // (1) Renew on time while any subscription is open.
  let activeSubscriptions = 0;
  let releaseKeepFresh: (() => void) | undefined;
  const hold = () => {
    activeSubscriptions += 1;
    releaseKeepFresh ??= refresher.keepFresh();
  };
  const release = () => {
    activeSubscriptions -= 1;
    if (activeSubscriptions === 0) {
      releaseKeepFresh?.();
      releaseKeepFresh = undefined;
    }
  };

  const link = new ApolloLink(
    (operation) =>
      new Observable((observer) => {
        let stopped = false;
        let dispose = () => {};
        // A 4401 after a good connect is an expiry we recover from; a second one before the next
        // good connect means the server refuses even the renewed token: report it.
        let restartedAt = -1;
        const start = () => {
          dispose = client.subscribe(
            { ...operation, query: print(operation.query) },
            {
              next: (value) => observer.next(value as never),
              complete: () => observer.complete(),
              error: (error) => {
                if (stopped) return;
                // (4) Too late for (2): renew the token and subscribe again (connectionParams
                // refreshes, since the server rejected the token we have).
                const expired = isCloseEvent(error) && error.code === WS_CLOSE_UNAUTHENTICATED;
                if (expired && !tokenStore.ended && restartedAt !== connects) {
                  restartedAt = connects;
                  start();
                  return;
                }
                observer.error(toError(error));
              },
            },
          );
        };
        hold();
        start();
        return () => {
          stopped = true;
          dispose();
          release();
        };
      }),
  );

  return {
    link,
    onConnected(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      stopWatchingToken();
      await client.dispose();
    },
  };
}
