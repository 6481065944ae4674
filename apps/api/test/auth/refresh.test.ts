// Refresh-token rotation, reuse detection and expiry (RFC 9700 §4.14.2; THREATS T16–T21).
import { CHANGE_PASSWORD, FINGERPRINT_COOKIE, ME, REFRESH_COOKIE, REVOKE_SESSION, SESSIONS, SIGN_OUT } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refresh, signIn, signUp } from '../support/flows.js';
import { errorCode, graphql } from '../support/http-client.js';
import { setCookieValue } from './set-cookie.js';
import { PASSWORD, sleep, startTestApi, type TestApi } from '../support/test-api.js';

describe('refresh with the default grace window', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ REFRESH_REUSE_GRACE_SECONDS: '10' });
  });
  afterAll(() => t?.close());

  it('T16 needs both cookies, from the same session', async () => {
    const a = await signUp(t.url);
    const b = await signUp(t.url);
    const onlyRefresh = await refresh(t.url, a.jar, { cookie: `${REFRESH_COOKIE}=${a.jar.get(REFRESH_COOKIE)}`, keepCookies: false });
    const onlyFingerprint = await refresh(t.url, a.jar, {
      cookie: `${FINGERPRINT_COOKIE}=${a.jar.get(FINGERPRINT_COOKIE)}`,
      keepCookies: false,
    });
    const mixed = await refresh(t.url, a.jar, {
      cookie: `${REFRESH_COOKIE}=${a.jar.get(REFRESH_COOKIE)}; ${FINGERPRINT_COOKIE}=${b.jar.get(FINGERPRINT_COOKIE)}`,
      keepCookies: false,
    });
    for (const r of [onlyRefresh, onlyFingerprint, mixed]) {
      expect(r.status).toBe(401);
      expect(errorCode(r)).toBe('UNAUTHENTICATED');
      expect(r.setCookies).toEqual([]);
    }
    // Nothing was rotated or revoked by the failed attempts: the victim still refreshes.
    expect((await refresh(t.url, a.jar)).status).toBe(200);
  });

  it('T18 tabs racing: the same successor until it is presented, then an access token and no cookie within the grace window; nobody is signed out', async () => {
    const device = await signUp(t.url);
    const otherTab = device.jar.clone();
    const first = await refresh(t.url, device.jar);
    expect(first.setCookies).toHaveLength(2);
    const successor = device.jar.get(REFRESH_COOKIE)!;

    // The other tab still sends the old token before the successor was ever presented: same successor.
    const racing = await refresh(t.url, otherTab, { keepCookies: false });
    expect(racing.status).toBe(200);
    expect(setCookieValue(racing.setCookies, REFRESH_COOKIE)).toBe(successor);

    // Once the successor has been presented the old token is spent; within the grace window a
    // late tab still gets an access token, but no refresh token.
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    const late = await refresh(t.url, otherTab, { keepCookies: false });
    expect(late.status).toBe(200);
    expect(late.setCookies).toEqual([]);
    const token = late.body.data!.refreshAccessToken.accessToken;
    expect((await graphql(t.url, ME, {}, { token, jar: otherTab })).status).toBe(200);
    // The newest token still works: nobody was signed out.
    expect((await refresh(t.url, device.jar)).status).toBe(200);
  });

  it('T19 fifty concurrent refreshes with one token issue exactly one successor, and no 5xx', async () => {
    const device = await signUp(t.url);
    const responses = await Promise.all(Array.from({ length: 50 }, () => refresh(t.url, device.jar, { keepCookies: false })));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    // Every answer carries the one successor (a lost answer must not cost the session, T54).
    const successors = new Set(responses.map((r) => setCookieValue(r.setCookies, REFRESH_COOKIE)));
    expect(successors.size).toBe(1);
    expect([...successors][0]).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const tokens = await t.api.prisma.refreshToken.findMany({ where: { session: { userId: device.user.id } } });
    expect(tokens).toHaveLength(2); // the original and its single successor
    expect(tokens.filter((tk) => tk.rotatedAt !== null)).toHaveLength(1);
  });

  it('T20 refresh tokens of signed-out, revoked and password-changed sessions are refused', async () => {
    const signedOut = await signUp(t.url);
    await graphql(t.url, SIGN_OUT, {}, { token: signedOut.token, jar: signedOut.jar.clone() });

    const laptop = await signUp(t.url);
    const revokedPhone = await signIn(t.url, laptop.email);
    const list = await graphql<{ sessions: { id: string; current: boolean }[] }>(
      t.url,
      SESSIONS,
      {},
      { token: laptop.token, jar: laptop.jar },
    );
    await graphql(
      t.url,
      REVOKE_SESSION,
      { id: list.body.data!.sessions.find((s) => !s.current)!.id },
      { token: laptop.token, jar: laptop.jar },
    );

    const owner = await signUp(t.url);
    const otherDevice = await signIn(t.url, owner.email);
    await graphql(
      t.url,
      CHANGE_PASSWORD,
      { currentPassword: PASSWORD, newPassword: 'another long passphrase' },
      { token: owner.token, jar: owner.jar },
    );

    for (const [label, jar] of [
      ['signed out', signedOut.jar],
      ['revoked', revokedPhone.jar],
      ['password changed', otherDevice.jar],
    ] as const) {
      const r = await refresh(t.url, jar, { keepCookies: false });
      expect(r.status, label).toBe(401);
      expect(errorCode(r), label).toBe('UNAUTHENTICATED');
    }
    expect((await refresh(t.url, laptop.jar)).status).toBe(200); // the revoking device lives on
  });

  it('T22 refresh tokens are stored only as SHA-256 hashes', async () => {
    const device = await signUp(t.url);
    const raw = device.jar.get(REFRESH_COOKIE)!;
    const rows = await t.api.prisma.refreshToken.findMany({ where: { session: { userId: device.user.id } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(raw);
  });
});

describe('reuse after the grace window', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ REFRESH_REUSE_GRACE_SECONDS: '1' });
  });
  afterAll(() => t?.close());

  it('T17 revokes the whole session: the reused token, the latest one and live access tokens all stop', async () => {
    const device = await signUp(t.url);
    const stolen = device.jar.clone();
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    // The victim presents the successor: the stolen token is now spent.
    const r = await refresh(t.url, device.jar);
    const latestAccess = r.body.data!.refreshAccessToken.accessToken;
    await sleep(1_500);

    const replay = await refresh(t.url, stolen, { keepCookies: false });
    expect(replay.status).toBe(401);
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');

    expect((await refresh(t.url, device.jar)).status).toBe(401);
    expect((await graphql(t.url, ME, {}, { token: latestAccess, jar: device.jar })).status).toBe(401);
    const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
    expect(session.revokedReason).toBe('refresh-token-reuse');
  });
});

describe('expiry', () => {
  it('T21 idle expiry slides with use', async () => {
    const t = await startTestApi({ REFRESH_IDLE_TTL_SECONDS: '2', SESSION_MAX_AGE_SECONDS: '60' });
    try {
      const device = await signUp(t.url);
      for (let i = 0; i < 3; i++) {
        await sleep(1_200);
        expect((await refresh(t.url, device.jar)).status, `refresh ${i}`).toBe(200);
      }
      await sleep(2_300);
      const late = await refresh(t.url, device.jar);
      expect(late.status).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('T21 the absolute lifetime is never extended by refreshing', async () => {
    const t = await startTestApi({ REFRESH_IDLE_TTL_SECONDS: '2', SESSION_MAX_AGE_SECONDS: '3', ACCESS_TOKEN_TTL_SECONDS: '60' });
    try {
      const device = await signUp(t.url);
      await sleep(1_200);
      const r1 = await refresh(t.url, device.jar);
      expect(r1.status).toBe(200);
      // The access token never outlives the session.
      const exp = Date.parse(r1.body.data!.refreshAccessToken.accessTokenExpiresAt);
      const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id } });
      expect(exp).toBeLessThanOrEqual(session.absoluteExpiresAt.getTime());
      await sleep(1_200);
      expect((await refresh(t.url, device.jar)).status).toBe(200);
      await sleep(1_000); // idle would allow this refresh; the absolute limit does not
      expect((await refresh(t.url, device.jar)).status).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('T06 an access token stops working after its TTL', async () => {
    const t = await startTestApi({ ACCESS_TOKEN_TTL_SECONDS: '1' });
    try {
      const device = await signUp(t.url);
      expect((await graphql(t.url, ME, {}, { token: device.token, jar: device.jar })).status).toBe(200);
      await sleep(1_000 + 5_000 + 600); // TTL + clock tolerance
      const late = await graphql(t.url, ME, {}, { token: device.token, jar: device.jar });
      expect(late.status).toBe(401);
    } finally {
      await t.close();
    }
  });
});
