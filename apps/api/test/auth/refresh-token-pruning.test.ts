// The refresh_tokens table stays bounded however often a session rotates (every protected SSR
// render rotates), and pruning never weakens reuse detection (ADR 0009; T17).
import { REFRESH_COOKIE, SIGN_OUT } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/auth/secrets.js';
import { COMPACTION_BATCH } from '../../src/auth/refresh-token-store.js';
import { SPENT_TOKEN_RECORD_BYTES } from '../../src/auth/spent-tokens.js';
import { refresh, signUp, type Device } from '../support/flows.js';
import { errorCode, graphql } from '../support/http-client.js';
import { sessionsOn } from '../support/sessions.js';
import { sleep, startTestApi, type TestApi } from '../support/test-api.js';

describe('pruning with no grace window', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ REFRESH_REUSE_GRACE_SECONDS: '0', RATE_LIMIT_REFRESH_PER_ADDRESS: '100000' });
  });
  afterAll(() => t?.close());

  const rows = (d: Device) => t.api.prisma.refreshToken.count({ where: { session: { userId: d.user.id } } });

  it('T17 300 rotations of one session keep its refresh_tokens rows bounded by a constant, and its first token still revokes the session when replayed', async () => {
    const device = await signUp(t.url);
    const first = device.jar.clone();
    let most = 0;
    for (let i = 0; i < 300; i++) {
      const r = await refresh(t.url, device.jar);
      expect(r.status, `rotation ${i}`).toBe(200);
      if (i % 25 === 0) most = Math.max(most, await rows(device));
    }
    most = Math.max(most, await rows(device));
    // The newest token and its predecessor, plus at most one batch of spent ones (past the 0 s
    // grace window) waiting to be compacted.
    expect(most).toBeLessThanOrEqual(COMPACTION_BATCH + 2);
    // What stays of the compacted ones: a 20-byte digest each, on the session row.
    const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
    expect(session.spentTokenDigests!.length).toBeGreaterThanOrEqual((298 - COMPACTION_BATCH) * SPENT_TOKEN_RECORD_BYTES);
    // The first token's row is gone, and no digest stores a whole token hash.
    const firstHash = sha256Hex(first.get(REFRESH_COOKIE)!);
    expect(await t.api.prisma.refreshToken.findUnique({ where: { tokenHash: firstHash } })).toBeNull();
    expect(Buffer.from(session.spentTokenDigests!).toString('hex')).not.toContain(firstHash);

    const replay = await refresh(t.url, first, { keepCookies: false });
    expect(replay.status).toBe(401);
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect((await refresh(t.url, device.jar, { keepCookies: false })).status).toBe(401);
    const ended = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
    expect(ended.revokedReason).toBe('refresh-token-reuse');
  }, 120_000);

  it('T17 spent tokens are compacted a batch at a time; one still waiting as a row revokes the session when replayed', async () => {
    const device = await signUp(t.url);
    const digests = async () =>
      (await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } })).spentTokenDigests?.length ?? 0;
    // The list is rewritten by every COMPACTION_BATCH-th rotation of the session and by no other.
    const lengths: number[] = [];
    for (let i = 0; i < 2 * COMPACTION_BATCH + 4; i++) {
      expect((await refresh(t.url, device.jar)).status).toBe(200);
      lengths.push(await digests());
    }
    const rewrittenBy = lengths.flatMap((n, i) => (n !== (i === 0 ? 0 : lengths[i - 1]) ? [i + 1] : []));
    expect(rewrittenBy).toEqual([COMPACTION_BATCH, 2 * COMPACTION_BATCH]);
    // Each compacts every token spent past the (0 s) window: all but the newest two (the one it
    // presents and its predecessor, whose successor is being presented in the same statement).
    const compacted = 2 * COMPACTION_BATCH - 2;
    expect(lengths[2 * COMPACTION_BATCH - 1]).toBe(compacted * SPENT_TOKEN_RECORD_BYTES);
    // A token spent past the grace window but not compacted yet is still a row: its replay is reuse.
    const waiting = device.jar.clone();
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect(await digests()).toBe(compacted * SPENT_TOKEN_RECORD_BYTES);
    expect((await refresh(t.url, waiting, { keepCookies: false })).status).toBe(401);
    expect((await refresh(t.url, device.jar, { keepCookies: false })).status).toBe(401);
    const ended = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
    expect(ended.revokedReason).toBe('refresh-token-reuse');
  }, 60_000);

  it("T16 T53 a made-up token with the session's real fingerprint is refused and revokes nothing, even when compacted digests exist", async () => {
    const device = await signUp(t.url);
    for (let i = 0; i < 5; i++) await refresh(t.url, device.jar);
    const madeUp = Buffer.alloc(32, 7).toString('base64url');
    const r = await refresh(t.url, device.jar, {
      cookie: `${REFRESH_COOKIE}=${madeUp}; __Host-fingerprint=${device.jar.get('__Host-fingerprint')}`,
      keepCookies: false,
    });
    expect(r.status).toBe(401);
    expect((await refresh(t.url, device.jar)).status).toBe(200);
  });
});

describe('a compacted token is no guess for the refresh rate limit', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ REFRESH_REUSE_GRACE_SECONDS: '0', RATE_LIMIT_REFRESH_PER_ADDRESS: '3' });
  });
  afterAll(() => t?.close());

  it('T17 T55 with its address budget spent by made-up tokens, a replay of a compacted token still ends the session', async () => {
    const device = await signUp(t.url);
    const first = device.jar.clone();
    for (let i = 0; i < COMPACTION_BATCH + 3; i++) expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect(await t.api.prisma.refreshToken.findUnique({ where: { tokenHash: sha256Hex(first.get(REFRESH_COOKIE)!) } })).toBeNull();
    // Someone behind the same address (a NAT, the same /64) spends the failed-refresh budget.
    for (let i = 0; i < 3; i++) {
      const madeUp = Buffer.alloc(32, i + 1).toString('base64url');
      const guess = await refresh(t.url, device.jar, {
        cookie: `${REFRESH_COOKIE}=${madeUp}; __Host-fingerprint=${Buffer.alloc(32, 9).toString('base64url')}`,
        keepCookies: false,
      });
      expect(guess.status).toBe(401);
    }
    const replay = await refresh(t.url, first, { keepCookies: false });
    expect(replay.status).toBe(401);
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
    expect(session.revokedReason).toBe('refresh-token-reuse');
  });
});

describe('pruning spent tokens keeps T17 after a grace window', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ REFRESH_REUSE_GRACE_SECONDS: '1', RATE_LIMIT_REFRESH_PER_ADDRESS: '100000' });
  });
  afterAll(() => t?.close());

  it('T17 spent tokens stay rows through the grace window, then are compacted; a replay of a compacted one revokes the whole session', async () => {
    const device = await signUp(t.url);
    const stolen = device.jar.clone();
    const chain = [stolen.get(REFRESH_COOKIE)!];
    // One short of a batch, so that the rotation after the grace window is the batch's last and
    // compacts (none before it does).
    for (let i = 0; i < COMPACTION_BATCH - 1; i++) {
      expect((await refresh(t.url, device.jar)).status).toBe(200);
      chain.push(device.jar.get(REFRESH_COOKIE)!);
    }
    // The newest, its predecessor (successor unpresented) and the one spent a moment ago (within
    // the grace window, still answered for T18) are rows.
    for (const token of chain.slice(-3)) {
      expect(await t.api.prisma.refreshToken.findUnique({ where: { tokenHash: sha256Hex(token) } })).not.toBeNull();
    }
    await sleep(1_300);
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect(await t.api.prisma.refreshToken.count({ where: { session: { userId: device.user.id } } })).toBeLessThanOrEqual(3);

    const replay = await refresh(t.url, stolen, { keepCookies: false });
    expect(replay.status).toBe(401);
    expect((await refresh(t.url, device.jar, { keepCookies: false })).status).toBe(401);
    const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
    expect(session.revokedReason).toBe('refresh-token-reuse');
  });

  it('pruneRefreshTokens deletes the rows of ended sessions and expired tokens, and keeps live ones', async () => {
    const sessions = await sessionsOn(t, {
      refreshIdleTtlSeconds: 7 * 24 * 3600,
      sessionMaxAgeSeconds: 30 * 24 * 3600,
      refreshReuseGraceSeconds: 1,
    });
    const live = await signUp(t.url);
    const signedOut = await signUp(t.url);
    await refresh(t.url, signedOut.jar);
    await graphql(t.url, SIGN_OUT, {}, { token: signedOut.token, jar: signedOut.jar.clone() });
    const count = (d: Device) => t.api.prisma.refreshToken.count({ where: { session: { userId: d.user.id } } });
    expect(await count(signedOut)).toBe(2);

    expect(await sessions.pruneRefreshTokens()).toBeGreaterThanOrEqual(2);
    expect(await count(signedOut)).toBe(0);
    expect(await count(live)).toBe(1);
    expect((await refresh(t.url, live.jar)).status).toBe(200);

    // Tokens past their own expiry go too (as if the 7-day idle TTL had passed): every token of `live`.
    const later = new Date(Date.now() + 8 * 24 * 3600 * 1000);
    await sessions.pruneRefreshTokens(later);
    expect(await count(live)).toBe(0);
  });
});
