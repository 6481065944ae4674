// Several API instances share one database, and their clocks need not agree. A refresh is judged and
// stamped by the database's clock, read with the token's row, never by the instance's own: so a
// replay of a token spent longer ago than the grace window ends the session (T17), and a tab racing
// within it does not (T18), whatever clock the instance that answers (or answered before) keeps.
// The API runs in this process: faking this process's clock (Date only) is an instance whose clock
// is off, and PostgreSQL's clock stays the real one. Embedded PGlite runs in this process too (its
// clock is the faked one) and serves one instance only: these tests need PostgreSQL.
import { REFRESH_COOKIE } from '@app/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMPACTION_BATCH } from '../../src/auth/refresh-token-store.js';
import { sha256Hex } from '../../src/auth/secrets.js';
import { onPostgres } from '../cluster/support.js';
import { refresh, signUp, type Device } from '../support/flows.js';
import { sleep, startTestApi, type TestApi } from '../support/test-api.js';

/** Runs `step` as an instance whose clock is `seconds` off. */
async function withClockOff<T>(seconds: number, step: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + seconds * 1000 });
  try {
    return await step();
  } finally {
    vi.useRealTimers();
  }
}

describe.runIf(onPostgres)('T17 T18 across instances whose clocks disagree', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ REFRESH_REUSE_GRACE_SECONDS: '1', RATE_LIMIT_REFRESH_PER_ADDRESS: '100000' });
  });
  afterAll(() => t?.close());
  afterEach(() => vi.useRealTimers());

  const revokedReason = async (device: Device) =>
    (await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } })).revokedReason;

  it('T17 the refresh cookie of an instance 60 s behind expires with its token, not 60 s after it', async () => {
    const device = await signUp(t.url);
    const r = await withClockOff(-60, () => refresh(t.url, device.jar));
    expect(r.status).toBe(200);
    const row = await t.api.prisma.refreshToken.findUniqueOrThrow({ where: { tokenHash: sha256Hex(device.jar.get(REFRESH_COOKIE)!) } });
    const lifetime = (row.expiresAt.getTime() - row.createdAt.getTime()) / 1000;
    for (const cookie of r.setCookies) {
      const maxAge = Number(/; Max-Age=(\d+)/.exec(cookie)?.[1]);
      // A browser keeping a spent token past its expiry would present it as a replay (ADR 0019).
      expect(maxAge, cookie.split('=')[0]).toBeLessThanOrEqual(lifetime);
      expect(maxAge).toBeGreaterThan(lifetime - 5);
    }
  });

  it('T17 the successor presented at an instance 60 s ahead: a replay 1.5 s later ends the session', async () => {
    const device = await signUp(t.url);
    const p = device.jar.clone();
    expect((await refresh(t.url, device.jar)).status).toBe(200); // P → Q
    await withClockOff(60, async () => expect((await refresh(t.url, device.jar)).status).toBe(200)); // Q presented
    await sleep(1_500);
    expect((await refresh(t.url, p, { keepCookies: false })).status).toBe(401);
    expect(await revokedReason(device)).toBe('refresh-token-reuse');
  });

  it('T17 a replay 1.5 s after the grace window, answered by an instance 60 s behind, ends the session', async () => {
    const device = await signUp(t.url);
    const p = device.jar.clone();
    expect((await refresh(t.url, device.jar)).status).toBe(200); // P → Q
    expect((await refresh(t.url, device.jar)).status).toBe(200); // Q presented
    await sleep(1_500);
    const replay = await withClockOff(-60, () => refresh(t.url, p, { keepCookies: false }));
    expect(replay.status).toBe(401);
    expect(await revokedReason(device)).toBe('refresh-token-reuse');
  });

  it('T17 tokens rotated at an instance 30 s ahead are compacted with the rest, and a replay of one ends the session', async () => {
    const device = await signUp(t.url);
    const p = device.jar.clone();
    await withClockOff(30, async () => expect((await refresh(t.url, device.jar)).status).toBe(200));
    // With the rotation above, one short of a batch: the rotation after the sleep is the batch's
    // last, and compacts.
    for (let i = 0; i < COMPACTION_BATCH - 2; i++) expect((await refresh(t.url, device.jar)).status).toBe(200);
    await sleep(1_500);
    expect((await refresh(t.url, device.jar)).status).toBe(200); // compacts a batch, P's row with it
    expect(await t.api.prisma.refreshToken.count({ where: { tokenHash: sha256Hex(p.get(REFRESH_COOKIE)!) } })).toBe(0);
    expect((await refresh(t.url, p, { keepCookies: false })).status).toBe(401);
    expect(await revokedReason(device)).toBe('refresh-token-reuse');
  });

  it('T18 a second tab within the grace window, answered by an instance 30 s ahead, gets an access token and ends nothing', async () => {
    const device = await signUp(t.url);
    const p = device.jar.clone();
    expect((await refresh(t.url, device.jar)).status).toBe(200); // P → Q
    expect((await refresh(t.url, device.jar)).status).toBe(200); // Q presented: P spent now
    const racing = await withClockOff(30, () => refresh(t.url, p, { keepCookies: false }));
    expect(racing.status).toBe(200);
    expect(await revokedReason(device)).toBeNull();
    expect((await refresh(t.url, device.jar)).status).toBe(200); // the session lives on
  });
});

// Before this version, instances stamped rotations with their own clocks, so a database may still
// hold a spent token stamped ahead whose successor row compaction has since removed. Such a token
// is judged spent past the grace window (sessions.ts, classify): its successor row can only have
// gone that way. Runs on both databases (no clock is faked).
describe('T17 a spent token stamped ahead by an earlier version, its successor row compacted', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ REFRESH_REUSE_GRACE_SECONDS: '1', RATE_LIMIT_REFRESH_PER_ADDRESS: '100000' });
  });
  afterAll(() => t?.close());

  it('a replay ends the session', async () => {
    const device = await signUp(t.url);
    const p = device.jar.clone();
    // One short of a batch: the rotation after the sleep is the batch's last, and compacts.
    for (let i = 0; i < COMPACTION_BATCH - 1; i++) expect((await refresh(t.url, device.jar)).status).toBe(200);
    const tokenHash = sha256Hex(p.get(REFRESH_COOKIE)!);
    expect(
      await t.api.prisma
        .$executeRaw`UPDATE refresh_tokens SET rotated_at = rotated_at + interval '30 seconds' WHERE token_hash = ${tokenHash}`,
    ).toBe(1);
    await sleep(1_500);
    expect((await refresh(t.url, device.jar)).status).toBe(200); // compacts a batch: P's successor, not P
    const row = await t.api.prisma.refreshToken.findUniqueOrThrow({ where: { tokenHash } });
    expect(row.successorId).toBeNull();
    expect((await refresh(t.url, p, { keepCookies: false })).status).toBe(401);
    const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
    expect(session.revokedReason).toBe('refresh-token-reuse');
  });
});
