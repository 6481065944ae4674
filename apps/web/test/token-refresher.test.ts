// The tab's one refresher, against a real HTTP server (the cookie-rotating test API). The token
// store's clock and the refresher's timer are ours to move; the refreshes are real requests.
import { afterEach, describe, expect, it } from 'vitest';
import { requestRefresh, RefreshRefusedError } from '../src/lib/auth/refresh-request';
import { createTokenRefresher } from '../src/lib/auth/token-refresher';
import { TokenStore } from '../src/lib/auth/token-store';
import { RefreshFailedError } from '../src/lib/refresh-protocol';
import { GraphqlTestServer } from './support/graphql-test-server';

const TTL_SECONDS = 100; // → refresh margin 25 s
type Timer = { callback: () => void; ms: number; cleared: boolean; fired: boolean };

async function setup(options: { refreshDelayMs?: number } = {}) {
  const server = await new GraphqlTestServer({ ttlSeconds: TTL_SECONDS, ...options }).start();
  let now = 1_000_000;
  const store = new TokenStore(() => now);
  const timers: Timer[] = [];
  const events = { ended: 0, refreshed: [] as string[], failed: [] as Error[] };
  const refresher = createTokenRefresher({
    tokenStore: store,
    refresh: () => requestRefresh(server.url),
    onSessionEnded: () => {
      events.ended += 1;
      store.clear({ ended: true });
    },
    onRefreshed: (t) => events.refreshed.push(t.jwt),
    onRefreshFailed: (e) => events.failed.push(e),
    retryDelayMs: 5000,
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cleared: false, fired: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (t) => {
      (t as Timer).cleared = true;
    },
  });
  return {
    server,
    store,
    refresher,
    events,
    advance: (ms: number) => {
      now += ms;
    },
    pending: () => timers.filter((t) => !t.cleared && !t.fired),
    fire(t: Timer) {
      t.fired = true;
      t.callback();
    },
  };
}

let h: Awaited<ReturnType<typeof setup>>;
afterEach(async () => {
  await h.server.stop();
});

describe('refresh()', () => {
  it('one refresh per tab at a time: concurrent callers share it', async () => {
    h = await setup({ refreshDelayMs: 100 });
    h.store.set(h.server.issueToken());
    const tokens = await Promise.all(Array.from({ length: 5 }, () => h.refresher.refresh()));
    expect(h.server.count('RefreshAccessToken')).toBe(1);
    expect(new Set(tokens.map((t) => t.jwt)).size).toBe(1);
    expect(h.store.get()?.jwt).toBe(tokens[0]!.jwt);
    expect(h.events.refreshed).toEqual([tokens[0]!.jwt]);
    // …and the next one is a new request.
    await h.refresher.refresh();
    expect(h.server.count('RefreshAccessToken')).toBe(2);
  });

  it('a refusal ends the session once and rejects every caller with RefreshRefusedError', async () => {
    h = await setup({ refreshDelayMs: 50 });
    h.store.set(h.server.issueToken());
    h.server.refreshMode = 'unauthenticated';
    const outcomes = await Promise.allSettled([h.refresher.refresh(), h.refresher.refresh()]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(RefreshRefusedError);
    expect(h.events.ended).toBe(1);
    expect(h.events.failed).toHaveLength(1);
    expect(h.store.get()).toBeNull();
  });

  it('an outage is an error, not a sign-out: the token stays', async () => {
    h = await setup();
    const token = h.server.issueToken();
    h.store.set(token);
    h.server.refreshMode = 'unavailable';
    await expect(h.refresher.refresh()).rejects.toBeInstanceOf(RefreshFailedError);
    expect(h.events.ended).toBe(0);
    expect(h.store.get()?.jwt).toBe(token);
  });
});

describe('ensureFresh()', () => {
  it('returns the token as it is outside the margin, renews it inside, and nothing when anonymous', async () => {
    h = await setup();
    await expect(h.refresher.ensureFresh()).resolves.toBeNull();
    const token = h.server.issueToken();
    h.store.set(token);
    h.advance((TTL_SECONDS - 26) * 1000);
    await expect(h.refresher.ensureFresh()).resolves.toMatchObject({ jwt: token });
    expect(h.server.count('RefreshAccessToken')).toBe(0);
    h.advance(2000); // 24 s left: inside the 25 s margin
    const renewed = await h.refresher.ensureFresh();
    expect(renewed?.jwt).not.toBe(token);
    expect(h.server.count('RefreshAccessToken')).toBe(1);
  });
});

describe('keepFresh()', () => {
  it('renews at the start of each token’s margin while held, and stops when released', async () => {
    h = await setup();
    const first = h.server.issueToken();
    h.store.set(first);
    const release = h.refresher.keepFresh();
    const [timer] = h.pending();
    expect(h.pending()).toHaveLength(1);
    expect(timer!.ms).toBe((TTL_SECONDS - 25) * 1000);

    h.advance(timer!.ms);
    h.fire(timer!);
    await expect.poll(() => h.store.get()?.jwt).not.toBe(first);
    expect(h.server.count('RefreshAccessToken')).toBe(1);
    // The new token's deadline, counted from now.
    expect(h.pending()).toHaveLength(1);
    expect(h.pending()[0]!.ms).toBe((TTL_SECONDS - 25) * 1000);

    release();
    expect(h.pending()).toHaveLength(0);
    h.store.set(h.server.issueToken());
    expect(h.pending()).toHaveLength(0); // released: new tokens schedule nothing
  });

  it('counts its holders: the timer runs until the last one releases', async () => {
    h = await setup();
    h.store.set(h.server.issueToken());
    const releaseA = h.refresher.keepFresh();
    const releaseB = h.refresher.keepFresh();
    expect(h.pending()).toHaveLength(1);
    releaseA();
    releaseA(); // twice is once
    expect(h.pending()).toHaveLength(1);
    releaseB();
    expect(h.pending()).toHaveLength(0);
  });

  it('a token renewed elsewhere (the link, SSR) moves the deadline', async () => {
    h = await setup();
    h.store.set(h.server.issueToken());
    h.refresher.keepFresh();
    const before = h.pending()[0]!;
    h.advance(30_000);
    h.store.set(h.server.issueToken());
    expect(before.cleared).toBe(true);
    expect(h.pending()).toHaveLength(1);
    expect(h.pending()[0]!.ms).toBe((TTL_SECONDS - 25) * 1000);
  });

  it('after an outage it tries again later; after a refusal it stops (the session is over)', async () => {
    h = await setup();
    h.store.set(h.server.issueToken());
    h.refresher.keepFresh();
    h.server.refreshMode = 'unavailable';
    h.fire(h.pending()[0]!);
    await expect.poll(() => h.pending().map((t) => t.ms)).toEqual([5000]);
    expect(h.events.ended).toBe(0);

    h.server.refreshMode = 'unauthenticated';
    h.fire(h.pending()[0]!);
    await expect.poll(() => h.events.ended).toBe(1);
    expect(h.pending()).toHaveLength(0);
  });
});
