// Several API instances share one database, and their clocks need not agree: a token may carry a
// rotated_at from a clock that runs ahead, or its successor one from a clock that runs behind. A
// replay of a token whose successor was presented longer ago than the grace window must still end
// the session (T17), whichever instance's clock wrote what. Compaction can delete a token's
// successor row while keeping the token's own row (ADR 0009, addendum 2); the refresh then judges
// the token by what that means, not by its own rotated_at.
import { REFRESH_COOKIE } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPACTION_BATCH } from '../../src/auth/refresh-token-store.js';
import { sha256Hex } from '../../src/auth/secrets.js';
import { refresh, signUp, type Device } from '../support/flows.js';
import { sleep, startTestApi, type TestApi } from '../support/test-api.js';

describe('T17 across instances whose clocks disagree', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ REFRESH_REUSE_GRACE_SECONDS: '1', RATE_LIMIT_REFRESH_PER_ADDRESS: '100000' });
  });
  afterAll(() => t?.close());

  /** Signs up, keeps a copy of the first two tokens' cookies, rotates a batch and more. */
  async function rotatedSession() {
    const device = await signUp(t.url);
    const t0 = device.jar.clone();
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    const t1 = device.jar.clone();
    for (let i = 0; i < COMPACTION_BATCH + 8; i++) expect((await refresh(t.url, device.jar)).status).toBe(200);
    return { device, t0, t1 };
  }

  const shiftRotatedAt = (jar: Device['jar'], seconds: number) =>
    t.api.prisma.$executeRaw`UPDATE refresh_tokens SET rotated_at = rotated_at + make_interval(secs => ${seconds})
                              WHERE token_hash = ${sha256Hex(jar.get(REFRESH_COOKIE)!)}`;

  async function expectReplayEndsSession(device: Device, stolen: Device['jar'], afterMs: number) {
    await sleep(afterMs); // every token but the newest is now spent longer than the grace window
    expect((await refresh(t.url, device.jar)).status).toBe(200); // a rotation: compacts a batch
    const replay = await refresh(t.url, stolen, { keepCookies: false });
    expect(replay.status).toBe(401);
    const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
    expect(session.revokedReason).toBe('refresh-token-reuse');
  }

  it('a token rotated by an instance whose clock runs 30 s ahead: its successor compacted, a replay ends the session at once', async () => {
    const { device, t0 } = await rotatedSession();
    await shiftRotatedAt(t0, 30);
    await expectReplayEndsSession(device, t0, 1_500);
  });

  it('a token whose successor was presented at an instance whose clock runs 2 s ahead: the grace window ends 2 s late, then a replay ends the session', async () => {
    // The grace window is measured from the successor's use as its instance's clock wrote it, so a
    // clock ahead lengthens it by that much for this token; a replay after it still ends the session.
    const { device, t0, t1 } = await rotatedSession();
    await shiftRotatedAt(t1, 2);
    await expectReplayEndsSession(device, t0, 3_500);
  });
});
