// A rotation whose answer never reached the browser must not cost the session (CONTRACT "Refresh
// rotation"; THREATS T54, T55; ADR 0008): the token it still holds gets the same successor again,
// never a second live branch, and reuse detection (T17) still ends the session when a token whose
// successor HAS been presented comes back after the grace window.
import { ME, REFRESH_COOKIE } from '@app/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refresh, signUp, type Device } from '../support/flows.js';
import { CookieJar, errorCode, graphql } from '../support/http-client.js';
import { sleep, startTestApi, type TestApi } from '../support/test-api.js';
import { openSealedSecret, sha256Hex } from '../../src/auth/secrets.js';
import { setCookieValue } from './set-cookie.js';

const GRACE_SECONDS = 2;

let t: TestApi;
beforeAll(async () => {
  // Budgets are not what these tests are about (T55's budget part is in the rate-limit tests).
  t = await startTestApi({ REFRESH_REUSE_GRACE_SECONDS: String(GRACE_SECONDS), RATE_LIMIT_REFRESH_PER_ADDRESS: '100000' });
});
afterAll(() => t?.close());

const sessionOf = (device: Device) => t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
const liveBranches = async (device: Device) =>
  t.api.prisma.refreshToken.count({ where: { session: { userId: device.user.id }, rotatedAt: null } });
const me = (token: string, jar: CookieJar) => graphql(t.url, ME, {}, { token, jar });

describe('lost rotation answers', () => {
  it('T54 the same old token presented again and again before its successor is used gets that same successor, and the session lives', async () => {
    const device = await signUp(t.url);
    const successors = new Set<string | undefined>();
    for (let i = 0; i < 5; i++) {
      // keepCookies: false — the answer (and its Set-Cookie) never reaches the browser.
      const lost = await refresh(t.url, device.jar, { keepCookies: false });
      expect(lost.status, JSON.stringify(lost.body)).toBe(200);
      successors.add(setCookieValue(lost.setCookies, REFRESH_COOKIE));
      expect((await me(lost.body.data!.refreshAccessToken.accessToken, device.jar)).status).toBe(200);
    }
    expect(successors.size).toBe(1);
    expect([...successors][0]).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(await liveBranches(device)).toBe(1);
    expect((await sessionOf(device)).revokedAt).toBeNull();

    // The browser finally keeps an answer: it holds that successor, and goes on normally.
    const kept = await refresh(t.url, device.jar);
    expect(device.jar.get(REFRESH_COOKIE)).toBe([...successors][0]);
    expect(kept.status).toBe(200);
    const next = await refresh(t.url, device.jar);
    expect(next.status).toBe(200);
    expect(device.jar.get(REFRESH_COOKIE)).not.toBe([...successors][0]);
    expect(await liveBranches(device)).toBe(1);
  });

  it('T54 once its successor is presented the old token is spent: within the grace window an access token without a cookie, after it the whole session is revoked', async () => {
    const device = await signUp(t.url);
    const stale = device.jar.clone();
    await refresh(t.url, device.jar); // rotation T0 → T1, answer kept
    const latest = await refresh(t.url, device.jar); // T1 presented: T0 is spent now
    const latestAccess = latest.body.data!.refreshAccessToken.accessToken;

    const inGrace = await refresh(t.url, stale, { keepCookies: false });
    expect(inGrace.status).toBe(200);
    expect(inGrace.setCookies).toEqual([]);

    await sleep(GRACE_SECONDS * 1000 + 300);
    const replay = await refresh(t.url, stale, { keepCookies: false });
    expect(replay.status).toBe(401);
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    // The whole session: the newest refresh token and its live access token die too (T17).
    expect((await refresh(t.url, device.jar, { keepCookies: false })).status).toBe(401);
    expect((await me(latestAccess, device.jar)).status).toBe(401);
    expect((await sessionOf(device)).revokedReason).toBe('refresh-token-reuse');
  });

  it('T54 a token whose answer was lost long ago (past the grace window) still gets its successor, because that successor was never presented', async () => {
    const device = await signUp(t.url);
    const lost = await refresh(t.url, device.jar, { keepCookies: false });
    await sleep(GRACE_SECONDS * 1000 + 300);
    const again = await refresh(t.url, device.jar);
    expect(again.status).toBe(200);
    expect(setCookieValue(again.setCookies, REFRESH_COOKIE)).toBe(setCookieValue(lost.setCookies, REFRESH_COOKIE));
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect((await sessionOf(device)).revokedAt).toBeNull();
  });

  it('T54 fifty concurrent presentations of a token whose answer was lost: one successor for all, no 5xx', async () => {
    const device = await signUp(t.url);
    const first = await refresh(t.url, device.jar, { keepCookies: false });
    const successor = setCookieValue(first.setCookies, REFRESH_COOKIE);
    const responses = await Promise.all(Array.from({ length: 50 }, () => refresh(t.url, device.jar, { keepCookies: false })));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(responses.map((r) => setCookieValue(r.setCookies, REFRESH_COOKIE)))).toEqual(new Set([successor]));
    expect(await t.api.prisma.refreshToken.count({ where: { session: { userId: device.user.id } } })).toBe(2);
    expect(await liveBranches(device)).toBe(1);
  });

  it('T22 the successor is stored only hashed and sealed (opened by its predecessor alone), and the seal is erased once it is presented', async () => {
    const device = await signUp(t.url);
    const first = device.jar.get(REFRESH_COOKIE)!;
    await refresh(t.url, device.jar);
    const second = device.jar.get(REFRESH_COOKIE)!;
    const rows = await t.api.prisma.refreshToken.findMany({ where: { session: { userId: device.user.id } } });
    const text = JSON.stringify(rows);
    for (const token of [first, second]) expect(text).not.toContain(token);
    const byHash = (token: string) => rows.find((r) => r.tokenHash === sha256Hex(token))!;
    expect(byHash(first).sealedToken).toBeNull(); // the sign-in token had no predecessor
    const sealed = byHash(second).sealedToken!;
    expect(openSealedSecret(first, sealed, byHash(second).sessionId)).toBe(second);
    expect(openSealedSecret(second, sealed, byHash(second).sessionId)).toBeNull();

    await refresh(t.url, device.jar); // `second` is presented: its seal goes
    const after = await t.api.prisma.refreshToken.findUnique({ where: { tokenHash: sha256Hex(second) } });
    expect(after!.rotatedAt).not.toBeNull();
    expect(after!.sealedToken).toBeNull();
  });

  it('T55 a hundred lost rotations in a row (another site re-navigating a popup to protected pages) neither end nor branch the session', async () => {
    const device = await signUp(t.url);
    const answers = [];
    for (let round = 0; round < 10; round++) {
      // Ten renders at once, then ten more: each one's answer is thrown away by the next navigation.
      answers.push(...(await Promise.all(Array.from({ length: 10 }, () => refresh(t.url, device.jar, { keepCookies: false })))));
    }
    expect(answers.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(new Set(answers.map((r) => setCookieValue(r.setCookies, REFRESH_COOKIE))).size).toBe(1);
    expect(await liveBranches(device)).toBe(1);
    // Nothing was changed for the victim: their next refresh works and rotates normally.
    const own = await refresh(t.url, device.jar);
    expect(own.status).toBe(200);
    expect((await me(own.body.data!.refreshAccessToken.accessToken, device.jar)).status).toBe(200);
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect((await sessionOf(device)).revokedAt).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Any interleaving of presentations by two holders of the session's tokens (two tabs, or victim
// and thief), with answers kept or lost and pauses past the grace window, against a model of the
// contract's rule. Invariants: at most one live branch; the session is revoked exactly when a
// spent token was presented after its grace window; every answer is the one the rule prescribes.
// ---------------------------------------------------------------------------------------------

type Step = { kind: 'present'; holder: 0 | 1; lost: boolean } | { kind: 'wait' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('present' as const), holder: fc.constantFrom(0 as const, 1 as const), lost: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'wait' as const }) },
);

describe('T54 property: rotation under any interleaving', () => {
  it('T54 T17 at most one live branch, and the session is revoked iff a spent token is presented after the grace window', async () => {
    const graceMs = GRACE_SECONDS * 1000;
    const margin = 400; // requests take time: near the boundary either answer is allowed, and the model follows
    const seen = { rotated: 0, sameSuccessor: 0, inGrace: 0, revoked: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 10 }).filter((steps) => steps.filter((s) => s.kind === 'wait').length <= 1),
        async (steps) => {
          const device = await signUp(t.url);
          const jars = [device.jar, device.jar.clone()];
          // The model: the chain of tokens in issue order; when each was first presented; revoked?
          const chain: string[] = [device.jar.get(REFRESH_COOKIE)!];
          const presentedAt: (number | undefined)[] = [undefined];
          let revoked = false;

          for (const s of steps) {
            if (s.kind === 'wait') {
              await sleep(graceMs + margin);
              continue;
            }
            const jar = jars[s.holder]!;
            const i = chain.indexOf(jar.get(REFRESH_COOKIE)!);
            expect(i).toBeGreaterThanOrEqual(0);
            const sentAt = Date.now();
            const r = await refresh(t.url, jar, { keepCookies: !s.lost });
            const cookie = setCookieValue(r.setCookies, REFRESH_COOKIE);
            const label = `${JSON.stringify(steps)} at ${JSON.stringify(s)}: token #${i} of ${chain.length}`;

            if (revoked) {
              expect(r.status, label).toBe(401);
            } else if (i === chain.length - 1) {
              // The newest token: rotated now, its successor is new.
              expect(r.status, label).toBe(200);
              expect(cookie, label).toBeDefined();
              expect(chain, label).not.toContain(cookie);
              presentedAt[i] = sentAt;
              seen.rotated++;
              chain.push(cookie!);
              presentedAt.push(undefined);
            } else if (presentedAt[i + 1] === undefined) {
              // Its successor was never presented: that same successor again (T54).
              expect(r.status, label).toBe(200);
              expect(cookie, label).toBe(chain[i + 1]);
              seen.sameSuccessor++;
            } else {
              // Spent since its successor was first presented.
              const elapsed = Date.now() - presentedAt[i + 1]!;
              const lateSent = sentAt - presentedAt[i + 1]!;
              if (elapsed < graceMs - margin) {
                expect(r.status, label).toBe(200);
                expect(r.setCookies, label).toEqual([]);
                seen.inGrace++;
              } else if (lateSent > graceMs + margin) {
                expect(r.status, label).toBe(401);
                revoked = true;
                seen.revoked++;
              } else {
                revoked = r.status === 401; // at the boundary: either answer, the model follows
              }
            }

            const session = await sessionOf(device);
            expect(session.revokedAt !== null, label).toBe(revoked);
            if (revoked) expect(session.revokedReason, label).toBe('refresh-token-reuse');
            // At most one live branch: one unrotated token at any time.
            expect(await liveBranches(device), label).toBe(1);
          }
        },
      ),
      {
        numRuns: 12,
        endOnFailure: true,
        examples: [
          [
            [
              { kind: 'present', holder: 0, lost: false },
              { kind: 'present', holder: 1, lost: true },
              { kind: 'present', holder: 0, lost: false },
              { kind: 'present', holder: 1, lost: false },
              { kind: 'wait' },
              { kind: 'present', holder: 1, lost: false },
            ],
          ],
        ],
      },
    );
    // The runs reached every branch of the rule (the example above guarantees each at least once).
    expect(
      Object.values(seen).every((n) => n > 0),
      JSON.stringify(seen),
    ).toBe(true);
  }, 240_000);
});
