// The refresh_tokens table stays bounded however often a session rotates (every protected SSR
// render rotates), and pruning never weakens reuse detection: a spent token whose row is gone is
// still recognised by its tag, however many rotations ago it was spent (ADR 0009, ADR 0019; T17).
import { REFRESH_COOKIE, SIGN_OUT } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/auth/secrets.js';
import { COMPACTION_BATCH } from '../../src/auth/refresh-token-store.js';
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
    // The first token's row is gone; nothing else records it.
    const firstHash = sha256Hex(first.get(REFRESH_COOKIE)!);
    expect(await t.api.prisma.refreshToken.findUnique({ where: { tokenHash: firstHash } })).toBeNull();

    const replay = await refresh(t.url, first, { keepCookies: false });
    expect(replay.status).toBe(401);
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect((await refresh(t.url, device.jar, { keepCookies: false })).status).toBe(401);
    const ended = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
    expect(ended.revokedReason).toBe('refresh-token-reuse');
  }, 120_000);

  it('T17 spent tokens are compacted a batch at a time; one still waiting as a row revokes the session when replayed', async () => {
    const device = await signUp(t.url);
    // Rows are deleted by every COMPACTION_BATCH-th rotation of the session and by no other.
    const counts: number[] = [];
    for (let i = 0; i < 2 * COMPACTION_BATCH + 4; i++) {
      expect((await refresh(t.url, device.jar)).status).toBe(200);
      counts.push(await rows(device));
    }
    const deletedBy = counts.flatMap((n, i) => (n <= (i === 0 ? 1 : counts[i - 1]!) ? [i + 1] : []));
    expect(deletedBy).toEqual([COMPACTION_BATCH, 2 * COMPACTION_BATCH]);
    // Each deletes every token spent past the (0 s) window: all but the successor it creates, the
    // one it presents and that one's predecessor (whose successor is presented in this statement).
    expect(counts[COMPACTION_BATCH - 1]).toBe(3);
    expect(counts[2 * COMPACTION_BATCH - 1]).toBe(3);
    // A token spent past the grace window but not compacted yet is still a row: its replay is reuse.
    const waiting = device.jar.clone();
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect(await t.api.prisma.refreshToken.findUnique({ where: { tokenHash: sha256Hex(waiting.get(REFRESH_COOKIE)!) } })).not.toBeNull();
    expect((await refresh(t.url, waiting, { keepCookies: false })).status).toBe(401);
    expect((await refresh(t.url, device.jar, { keepCookies: false })).status).toBe(401);
    const ended = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
    expect(ended.revokedReason).toBe('refresh-token-reuse');
  }, 60_000);

  it('T17 a thief who rotates the stolen session 4,200 times still loses it when the victim presents the stolen token', async () => {
    // The spent-token list this design kept before ADR 0019 held the newest 4096 per session: a
    // thief with the live token could rotate past it, and the victim's token was then refused
    // without ending the session. The tag has no such horizon.
    const victim = await signUp(t.url);
    const thief = victim.jar.clone();
    for (let i = 0; i < 4_200; i++) {
      const r = await refresh(t.url, thief);
      if (r.status !== 200) expect.fail(`rotation ${i}: ${r.status}`);
    }
    const replay = await refresh(t.url, victim.jar, { keepCookies: false });
    expect(replay.status).toBe(401);
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect((await refresh(t.url, thief, { keepCookies: false })).status).toBe(401);
    const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: victim.user.id } });
    expect(session.revokedReason).toBe('refresh-token-reuse');
  }, 180_000);

  it("T17 the victim who signs out with the stolen token, after the thief rotated it past compaction, ends the thief's session", async () => {
    const victim = await signUp(t.url);
    const thief = victim.jar.clone();
    for (let i = 0; i < COMPACTION_BATCH + 2; i++) expect((await refresh(t.url, thief)).status).toBe(200);
    expect(await t.api.prisma.refreshToken.findUnique({ where: { tokenHash: sha256Hex(victim.jar.get(REFRESH_COOKIE)!) } })).toBeNull();
    // Signing out needs no access token: the cookies name the session (the victim's tab has none left).
    const out = await graphql(t.url, SIGN_OUT, {}, { jar: victim.jar });
    expect(out.body.data).toEqual({ signOut: true });
    expect((await refresh(t.url, thief, { keepCookies: false })).status).toBe(401);
    const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: victim.user.id } });
    expect(session.revokedReason).toBe('sign-out');
  });

  it("T16 T53 tokens a forger can make — one bit off a compacted token, another session's, made up — with the session's real fingerprint are refused and revoke nothing", async () => {
    const device = await signUp(t.url);
    const other = await signUp(t.url);
    const compacted = device.jar.get(REFRESH_COOKIE)!;
    for (let i = 0; i < COMPACTION_BATCH + 2; i++) expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect(await t.api.prisma.refreshToken.findUnique({ where: { tokenHash: sha256Hex(compacted) } })).toBeNull();
    const bytes = Buffer.from(compacted, 'base64url');
    const flipped = (at: number, bit: number) => {
      const b = Buffer.from(bytes);
      b[at]! ^= 1 << bit;
      return b.toString('base64url');
    };
    const forged = [
      ...[0, 5, 31].map((at) => flipped(at, at % 8)), // the random part
      ...[32, 40, 47].map((at) => flipped(at, 7 - (at % 8))), // the tag
      Buffer.concat([bytes.subarray(0, 32), Buffer.alloc(16)]).toString('base64url'), // no tag
      Buffer.concat([Buffer.alloc(32, 7), bytes.subarray(32)]).toString('base64url'), // its tag on other bytes
      Buffer.alloc(48, 7).toString('base64url'), // made up
      other.jar.get(REFRESH_COOKIE)!, // another session's live token
      compacted.slice(0, 43), // the old format's length
    ];
    for (const token of forged) {
      const r = await refresh(t.url, device.jar, {
        cookie: `${REFRESH_COOKIE}=${token}; __Host-fingerprint=${device.jar.get('__Host-fingerprint')}`,
        keepCookies: false,
      });
      expect(r.status, token).toBe(401);
    }
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect((await refresh(t.url, other.jar)).status).toBe(200);
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
      const madeUp = Buffer.alloc(48, i + 1).toString('base64url');
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

describe('a spent token replayed after its own expiry', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ REFRESH_IDLE_TTL_SECONDS: '2', REFRESH_REUSE_GRACE_SECONDS: '0', RATE_LIMIT_REFRESH_PER_ADDRESS: '100000' });
  });
  afterAll(() => t?.close());

  it('T54 pruning keeps an expired token whose successor was never presented: presenting it is refused and ends nothing', async () => {
    const device = await signUp(t.url);
    await sleep(1_000);
    // The answer carrying the successor is lost: the browser still holds its first token, which
    // expires 1 s before the successor (and the session) do.
    expect((await refresh(t.url, device.jar, { keepCookies: false })).status).toBe(200);
    await sleep(1_300);
    const firstHash = sha256Hex(device.jar.get(REFRESH_COOKIE)!);
    await (await sessionsOn(t)).pruneRefreshTokens();
    const row = await t.api.prisma.refreshToken.findUnique({ where: { tokenHash: firstHash } });
    expect(row, "the lost answer's predecessor stays while its session lives").not.toBeNull();
    expect(row!.expiresAt.getTime()).toBeLessThan(Date.now());
    expect((await refresh(t.url, device.jar, { keepCookies: false })).status).toBe(401);
    const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
    expect(session.revokedAt).toBeNull();
  });

  // A browser drops the refresh cookie when the token expires (its Expires is the token's), so
  // only a stored copy is ever presented past that: a replay. Its row may still be there or may
  // have been pruned; either way the session ends, as it would have a moment earlier (T17).
  for (const pruned of [false, true]) {
    it(`T17 ends the session while it lives on${pruned ? ', its row pruned' : ', its row still kept'}`, async () => {
      const device = await signUp(t.url);
      const stolen = device.jar.clone();
      // Keep the session alive past the stolen token's 2 s expiry.
      for (let i = 0; i < 3; i++) {
        expect((await refresh(t.url, device.jar)).status).toBe(200);
        await sleep(900);
      }
      const stolenHash = sha256Hex(stolen.get(REFRESH_COOKIE)!);
      if (pruned) await (await sessionsOn(t)).pruneRefreshTokens();
      const row = await t.api.prisma.refreshToken.findUnique({ where: { tokenHash: stolenHash } });
      expect(row === null).toBe(pruned);
      if (row) expect(row.expiresAt.getTime()).toBeLessThan(Date.now());

      const replay = await refresh(t.url, stolen, { keepCookies: false });
      expect(replay.status).toBe(401);
      expect((await refresh(t.url, device.jar, { keepCookies: false })).status).toBe(401);
      const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
      expect(session.revokedReason).toBe('refresh-token-reuse');
    });
  }
});
