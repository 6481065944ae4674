// The live socket against a real graphql-ws server that, like the API, closes with 4401 at a token's
// end and 4403 on revocation. The token store's clock and the refresher's timer are ours to move;
// the sockets, the refreshes and the subscriptions are real.
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLinkChain } from '../src/lib/apollo/links';
import { WS_CLOSE_TOKEN_RENEWED, type ConnectedInfo } from '../src/lib/apollo/live-socket';
import { requestRefresh } from '../src/lib/auth/refresh-request';
import { createTokenRefresher } from '../src/lib/auth/token-refresher';
import { TokenStore } from '../src/lib/auth/token-store';
import { GraphqlTestServer } from './support/graphql-test-server';

const NOTE_ADDED = gql`
  subscription NoteAdded {
    noteAdded {
      id
      text
    }
  }
`;
const TTL_SECONDS = 100; // → refresh margin 25 s

type Timer = { callback: () => void; ms: number; cleared: boolean; fired: boolean };

async function setup() {
  const server = await new GraphqlTestServer({ ttlSeconds: TTL_SECONDS, wsAuth: true }).start();
  let now = 1_000_000;
  const store = new TokenStore(() => now);
  const timers: Timer[] = [];
  const connects: ConnectedInfo[] = [];
  const state = { sessionEnded: 0, backoffs: 0 };
  const onSessionEnded = () => {
    state.sessionEnded += 1;
    store.clear({ ended: true });
  };
  const refresher = createTokenRefresher({
    tokenStore: store,
    refresh: () => requestRefresh(server.url),
    onSessionEnded,
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cleared: false, fired: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      (timer as Timer).cleared = true;
    },
  });
  const { link, live } = createLinkChain({
    uri: server.url,
    wsUrl: server.wsUrl,
    webSocketImpl: WebSocket,
    // graphql-ws's own wait before an unplanned reconnect, counted (and kept short).
    wsBackoff: async () => {
      state.backoffs += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
    tokenStore: store,
    refresher,
    onSessionEnded,
  });
  live!.onConnected((info) => connects.push(info));
  const client = new ApolloClient({ link, cache: new InMemoryCache() });

  /** Subscribe to noteAdded; collects the ids received and the error, if any. */
  function subscribe() {
    const received: string[] = [];
    const errors: unknown[] = [];
    const subscription = client.subscribe({ query: NOTE_ADDED }).subscribe({
      next: (value) => received.push((value.data as { noteAdded: { id: string } }).noteAdded.id),
      error: (e: unknown) => errors.push(e),
    });
    return { received, errors, subscription };
  }

  return {
    server,
    store,
    timers,
    connects,
    state,
    client,
    live: live!,
    subscribe,
    advance: (ms: number) => {
      now += ms;
    },
    pendingTimers: () => timers.filter((t) => !t.cleared && !t.fired),
    fire(timer: Timer) {
      timer.fired = true;
      timer.callback();
    },
    async stop() {
      client.stop();
      await live!.dispose();
      await server.stop();
    },
  };
}

let h: Awaited<ReturnType<typeof setup>>;
afterEach(async () => {
  await h.stop();
});

const wsTokens = () => h.server.wsConnectionParams.map((p) => (p as { authorization?: string }).authorization);

describe('live socket', () => {
  it('a renewed token replaces the socket before the old one ends; the stream goes on, nothing lost', async () => {
    h = await setup();
    const first = h.server.issueToken();
    h.store.set(first);
    const sub = h.subscribe();
    await expect.poll(() => sub.received).toEqual(['n-ws']);
    expect(h.connects).toEqual([{ reconnect: false }]);

    // A refresh anywhere in the tab (here: the refresher, as the idle timer or the link would).
    const renewed = h.store.get()!.jwt;
    h.server.publish({ id: 'before', text: 'before the renewal' });
    await expect.poll(() => sub.received).toEqual(['n-ws', 'before']);
    h.store.set(h.server.issueToken());
    expect(h.store.get()!.jwt).not.toBe(renewed);

    // The client closed the old socket itself (4205) and connected again with the NEW token.
    await expect.poll(() => h.server.wsCloseCodes).toEqual([WS_CLOSE_TOKEN_RENEWED]);
    await expect.poll(() => wsTokens()).toEqual([`Bearer ${first}`, `Bearer ${h.store.get()!.jwt}`]);
    await expect.poll(() => h.connects).toEqual([{ reconnect: false }, { reconnect: true }]);
    await expect.poll(() => sub.received).toEqual(['n-ws', 'before', 'n-ws']);
    h.server.publish({ id: 'after', text: 'after the renewal' });
    await expect.poll(() => sub.received).toEqual(['n-ws', 'before', 'n-ws', 'after']);
    expect(sub.errors).toEqual([]);
  });

  it('a token renewed while the socket is connecting replaces that socket as soon as it is up', async () => {
    h = await setup();
    const first = h.server.issueToken();
    h.store.set(first);
    // The renewal lands after connectionParams has read `first`, before the server's ack.
    let renewed: string | undefined;
    h.server.beforeWsAck = () => {
      h.server.beforeWsAck = undefined;
      renewed = h.server.issueToken();
      h.store.set(renewed);
    };
    const sub = h.subscribe();

    await expect.poll(() => h.server.wsCloseCodes).toEqual([WS_CLOSE_TOKEN_RENEWED]);
    await expect.poll(() => wsTokens()).toEqual([`Bearer ${first}`, `Bearer ${renewed}`]);
    // Announced once, for the socket that stays (the page's catch-up read is not run twice).
    await expect.poll(() => h.connects).toEqual([{ reconnect: true }]);
    // The stream is on the new socket (whether the first one got to greet before it closed or not).
    await expect.poll(() => h.server.wsGreetings).toContain(1);
    h.server.publish({ id: 'after', text: 'after the renewal' });
    await expect.poll(() => sub.received.at(-1)).toBe('after');
    expect(sub.received.filter((id) => id !== 'n-ws')).toEqual(['after']);
    expect(h.connects).toEqual([{ reconnect: true }]); // still once: no late announcement
    expect(sub.errors).toEqual([]);
  });

  it('a renewal that meets a socket the server is already closing does not skip the backoff of the reconnect', async () => {
    h = await setup();
    h.store.set(h.server.issueToken());
    const sub = h.subscribe();
    await expect.poll(() => h.server.wsGreetings).toEqual([0]);

    // The server closes (a restart); before the close reaches the client, a new token asks for a 4205.
    h.server.closeSockets(1012, 'Service restart');
    h.store.set(h.server.issueToken());

    await expect.poll(() => h.server.wsGreetings).toEqual([0, 1]);
    expect(h.state.backoffs).toBe(1); // the reconnect after 1012 waited, as any unplanned one does
    expect(h.server.wsCloseCodes).toEqual([WS_CLOSE_TOKEN_RENEWED]); // the client did ask (the server hears its frame)
    expect(sub.errors).toEqual([]);
  });

  it('while subscribed, the tab renews its token at the start of the refresh margin, by itself', async () => {
    h = await setup();
    const first = h.server.issueToken();
    h.store.set(first);
    expect(h.pendingTimers()).toHaveLength(0); // nobody holds keepFresh yet
    const sub = h.subscribe();
    await expect.poll(() => sub.received).toEqual(['n-ws']);

    // One timer, due when 25 s (the margin) of the 100 s lifetime remain.
    const [timer] = h.pendingTimers();
    expect(h.pendingTimers()).toHaveLength(1);
    expect(timer!.ms).toBe((TTL_SECONDS - 25) * 1000);
    h.advance(timer!.ms);
    h.fire(timer!);

    await expect.poll(() => h.store.get()!.jwt).not.toBe(first);
    expect(h.server.count('RefreshAccessToken')).toBe(1);
    await expect.poll(() => sub.received).toEqual(['n-ws', 'n-ws']);
    expect(wsTokens()).toEqual([`Bearer ${first}`, `Bearer ${h.store.get()!.jwt}`]);
    // The new token brought a new deadline.
    expect(h.pendingTimers()).toHaveLength(1);
    expect(h.pendingTimers()[0]).not.toBe(timer);

    // The last subscription gone: no more refreshing by itself.
    sub.subscription.unsubscribe();
    await expect.poll(() => h.pendingTimers()).toHaveLength(0);
    expect(sub.errors).toEqual([]);
  });

  it('a 4401 close (the renewal came too late) renews the token and resubscribes, without an error', async () => {
    h = await setup();
    const first = h.server.issueToken();
    h.store.set(first);
    const sub = h.subscribe();
    await expect.poll(() => sub.received).toEqual(['n-ws']);

    // The server's clock says the token has ended: it no longer accepts it and closes the socket.
    h.server.revokeAll();
    h.server.closeSockets(4401, 'Access token expired');

    await expect.poll(() => h.server.count('RefreshAccessToken')).toBe(1);
    await expect.poll(() => sub.received).toEqual(['n-ws', 'n-ws']);
    expect(wsTokens()).toEqual([`Bearer ${first}`, `Bearer ${h.store.get()!.jwt}`]);
    expect(h.connects.at(-1)).toEqual({ reconnect: true });
    h.server.publish({ id: 'later', text: 'after recovery' });
    await expect.poll(() => sub.received).toEqual(['n-ws', 'n-ws', 'later']);
    expect(sub.errors).toEqual([]);
    expect(h.state.sessionEnded).toBe(0);
  });

  it('a server that refuses even the renewed token: one retry, then the subscription reports it', async () => {
    h = await setup();
    h.store.set(h.server.issueToken());
    const sub = h.subscribe();
    await expect.poll(() => sub.received).toEqual(['n-ws']);

    h.server.wsRefuseAll = true;
    h.server.closeSockets(4401, 'Access token expired');

    await expect.poll(() => sub.errors).toHaveLength(1);
    expect(String(sub.errors[0])).toMatch(/4401/);
    expect(h.server.count('RefreshAccessToken')).toBe(1);
    expect(h.server.wsConnectionParams).toHaveLength(2); // the first socket and ONE retry
  });

  it('4403 (session revoked) is final: no reconnect, no refresh', async () => {
    h = await setup();
    h.store.set(h.server.issueToken());
    const sub = h.subscribe();
    await expect.poll(() => sub.received).toEqual(['n-ws']);

    h.server.closeSockets(4403, 'Session revoked');

    await expect.poll(() => sub.errors).toHaveLength(1);
    expect(String(sub.errors[0])).toMatch(/4403/);
    await new Promise((r) => setTimeout(r, 300)); // long enough for a reconnect to have started
    expect(h.server.wsConnectionParams).toHaveLength(1);
    expect(h.server.count('RefreshAccessToken')).toBe(0);
  });

  it('a reconnect (network loss) with a token inside its refresh margin renews it BEFORE using it', async () => {
    h = await setup();
    const old = h.server.issueToken();
    h.store.set(old);
    const sub = h.subscribe();
    await expect.poll(() => sub.received).toEqual(['n-ws']);
    // The reconnect below does not pass through the link chain: connectionParams must renew itself.
    h.advance((TTL_SECONDS - 10) * 1000); // 10 s left, margin 25 s
    h.server.closeSockets(1012, 'Service restart'); // retried by graphql-ws after its backoff

    await expect.poll(() => sub.received, { timeout: 8000 }).toEqual(['n-ws', 'n-ws']);
    expect(h.server.count('RefreshAccessToken')).toBe(1);
    expect(wsTokens()).toEqual([`Bearer ${old}`, `Bearer ${h.store.get()!.jwt}`]);
    expect(h.store.get()!.jwt).not.toBe(old);
    expect(sub.errors).toEqual([]);
  }, 15_000);
});
