// The browser's link chain, driven through a real ApolloClient against a real HTTP/WebSocket server.
// Only the clock of the token store is ours to move: waiting for real expiry is the e2e suite's job.
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLinkChain, type LinkDeps } from '../src/lib/apollo/links';
import { requestRefresh } from '../src/lib/auth/refresh-request';
import { createTokenRefresher, type TokenRefresher } from '../src/lib/auth/token-refresher';
import { TokenStore } from '../src/lib/auth/token-store';
import { GraphqlTestServer } from './support/graphql-test-server';

const ME = gql`
  query Me {
    me {
      id
      email
    }
  }
`;
const ADD_NOTE = gql`
  mutation AddNote($text: String!) {
    addNote(text: $text) {
      id
      text
    }
  }
`;
const NOTE_ADDED = gql`
  subscription NoteAdded {
    noteAdded {
      id
      text
    }
  }
`;

const TTL_SECONDS = 100; // → refresh margin 25 s

type Harness = {
  server: GraphqlTestServer;
  store: TokenStore;
  client: ApolloClient<unknown>;
  sessionEnded: number;
  refreshed: string[];
  refreshFailures: Error[];
  refresher: TokenRefresher;
  advance(ms: number): void;
};

async function setup(options: { refreshDelayMs?: number; ws?: boolean } = {}): Promise<Harness> {
  const server = await new GraphqlTestServer({ ttlSeconds: TTL_SECONDS, ...options }).start();
  let now = 1_000_000;
  const store = new TokenStore(() => now);
  const h: Harness = {
    server,
    store,
    client: undefined as unknown as ApolloClient<unknown>,
    sessionEnded: 0,
    refreshed: [],
    refreshFailures: [],
    refresher: undefined as unknown as TokenRefresher,
    advance: (ms) => {
      now += ms;
    },
  };
  const onSessionEnded = () => {
    h.sessionEnded += 1;
    store.clear({ ended: true }); // what the app's endLocalSession does first
  };
  h.refresher = createTokenRefresher({
    tokenStore: store,
    refresh: () => requestRefresh(server.url),
    onSessionEnded,
    onRefreshed: (t) => h.refreshed.push(t.jwt),
    onRefreshFailed: (e) => h.refreshFailures.push(e),
  });
  const deps: LinkDeps = {
    uri: server.url,
    ...(options.ws ? { wsUrl: server.wsUrl, webSocketImpl: WebSocket } : {}),
    tokenStore: store,
    refresher: h.refresher,
    onSessionEnded,
  };
  h.client = new ApolloClient({
    link: createLinkChain(deps).link,
    cache: new InMemoryCache(),
    // Every call goes to the network: we are testing the links, not the cache or deduplication.
    queryDeduplication: false,
    defaultOptions: { query: { fetchPolicy: 'no-cache' }, mutate: { fetchPolicy: 'no-cache' } },
  });
  return h;
}

let h: Harness;
afterEach(async () => {
  h.client.stop();
  await h.server.stop();
});

describe('authLink + transport', () => {
  beforeEach(async () => {
    h = await setup();
  });

  it('sends the CSRF header on every request, and no Authorization without a token', async () => {
    const { data } = await h.client.query({ query: ME });
    expect(data).toEqual({ me: null });
    const [req] = h.server.requests;
    expect(req?.csrf).toBe('1');
    expect(req?.authorization).toBeUndefined();
  });

  it('adds Authorization: Bearer <token> from the in-memory store', async () => {
    const token = h.server.issueToken();
    h.store.set(token);
    await h.client.query({ query: ME });
    expect(h.server.requests.at(-1)?.authorization).toBe(`Bearer ${token}`);
  });
});

describe('refreshLink', () => {
  it('does not refresh while the token is outside its refresh margin', async () => {
    h = await setup();
    h.store.set(h.server.issueToken());
    h.advance((TTL_SECONDS - 26) * 1000); // 26 s left, margin is 25 s
    await h.client.query({ query: ME });
    expect(h.server.count('RefreshAccessToken')).toBe(0);
  });

  it('refreshes BEFORE expiry once inside the margin, then sends the operation with the new token', async () => {
    h = await setup();
    const old = h.server.issueToken();
    h.store.set(old);
    h.advance((TTL_SECONDS - 24) * 1000); // 24 s left: inside the 25 s margin, not yet expired
    await h.client.query({ query: ME });
    expect(h.server.requests.map((r) => r.operationName)).toEqual(['RefreshAccessToken', 'Me']);
    const fresh = h.store.get()?.jwt;
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    expect(h.server.requests.at(-1)?.authorization).toBe(`Bearer ${fresh}`);
    expect(h.refreshed).toEqual([fresh]);
    // The refresh itself is sent with the CSRF header and without the (old) bearer token.
    const refresh = h.server.requests[0];
    expect(refresh?.csrf).toBeDefined();
    expect(refresh?.authorization).toBeUndefined();
  });

  it('queues concurrent operations behind ONE refresh', async () => {
    h = await setup({ refreshDelayMs: 150 });
    h.store.set(h.server.issueToken());
    h.advance(TTL_SECONDS * 1000); // expired
    const results = await Promise.all([
      ...Array.from({ length: 8 }, () => h.client.query({ query: ME })),
      h.client.mutate({ mutation: ADD_NOTE, variables: { text: 'queued' } }),
    ]);
    expect(results.every((r) => !r.errors)).toBe(true);
    expect(h.server.count('RefreshAccessToken')).toBe(1);
    const fresh = `Bearer ${h.store.get()?.jwt}`;
    const ops = h.server.requests.filter((r) => r.operationName !== 'RefreshAccessToken');
    expect(ops).toHaveLength(9);
    expect(ops.every((r) => r.authorization === fresh)).toBe(true);
    expect(h.sessionEnded).toBe(0);
  });

  it('joins the refresh the tab already has in flight (live socket, idle timer): still ONE refresh', async () => {
    h = await setup({ refreshDelayMs: 150 });
    h.store.set(h.server.issueToken());
    h.advance(TTL_SECONDS * 1000); // expired
    const elsewhere = h.refresher.refresh(); // e.g. the idle-page timer, just before a click
    const result = await h.client.query({ query: ME });
    await elsewhere;
    expect(result.errors).toBeUndefined();
    // Two refreshes would present the same refresh cookie twice: the second a rotated-away one.
    expect(h.server.count('RefreshAccessToken')).toBe(1);
    expect(h.server.requests.at(-1)?.authorization).toBe(`Bearer ${h.store.get()?.jwt}`);
  });

  it('a refused refresh (401) fails the queued operations and ends the session once', async () => {
    h = await setup({ refreshDelayMs: 50 });
    h.store.set(h.server.issueToken());
    h.server.refreshMode = 'unauthenticated';
    h.advance(TTL_SECONDS * 1000);
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => h.client.query({ query: ME })));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(h.server.count('RefreshAccessToken')).toBe(1);
    expect(h.server.count('Me')).toBe(0); // nothing was sent with an expired token
    expect(h.refreshFailures).toHaveLength(1);
    expect(h.sessionEnded).toBe(1);
    expect(h.store.get()).toBeNull();
  });

  it('an unreachable API during refresh is an error, not a sign-out', async () => {
    h = await setup();
    h.store.set(h.server.issueToken());
    h.server.refreshMode = 'unavailable';
    h.advance(TTL_SECONDS * 1000);
    await expect(h.client.query({ query: ME })).rejects.toThrow();
    expect(h.sessionEnded).toBe(0);
    expect(h.store.get()).not.toBeNull();
  });
});

describe('errorLink', () => {
  beforeEach(async () => {
    h = await setup();
  });

  it('turns UNAUTHENTICATED/401 on a request made with a session into one local sign-out', async () => {
    h.store.set(h.server.issueToken());
    h.server.revokeAll(); // e.g. revoked from another device: the unexpired token now gets 401
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => h.client.query({ query: ME })));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(h.sessionEnded).toBe(1);
    expect(h.store.ended).toBe(true);
  });

  it('leaves a 401 on an anonymous request to the caller (e.g. the sign-in form)', async () => {
    // A bearer the server does not know, sent by hand: the store holds no session.
    await expect(h.client.query({ query: ME, context: { headers: { authorization: 'Bearer nope' } } })).rejects.toThrow();
    expect(h.sessionEnded).toBe(0);
  });
});

describe('split: subscriptions over graphql-ws', () => {
  it('sends subscriptions over the WebSocket with the token in connectionParams', async () => {
    h = await setup({ ws: true });
    const token = h.server.issueToken();
    h.store.set(token);
    const first = await new Promise<unknown>((resolve, reject) => {
      const sub = h.client.subscribe({ query: NOTE_ADDED }).subscribe({
        next: (value) => {
          resolve(value.data);
          sub.unsubscribe();
        },
        error: reject,
      });
    });
    expect(first).toEqual({ noteAdded: { __typename: 'Note', id: 'n-ws', text: 'over ws' } });
    expect(h.server.wsConnectionParams).toEqual([{ authorization: `Bearer ${token}` }]);
    expect(h.server.requests).toHaveLength(0); // nothing went over HTTP
  });
});

describe('the HTTP request itself', () => {
  it('uses POST with a JSON body (mutations over GET are refused by the API)', async () => {
    h = await setup();
    await h.client.mutate({ mutation: ADD_NOTE, variables: { text: 'x' } });
    const [req] = h.server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.contentType).toMatch(/^application\/json/);
    expect(req?.csrf).toBe('1');
  });
});
