// Session renewal (THREATS T58, T50; OWASP Session Management CS, "Renew the Session ID After Any
// Privilege Level Change"): a password change gives this device a new refresh token AND a new
// fingerprint and refuses the old pair; signing in or up over a session's cookies ends that session.
import { CHANGE_PASSWORD, FINGERPRINT_COOKIE, ME, REFRESH_COOKIE, SESSIONS, SIGN_IN, SIGN_UP } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refresh, signIn, signUp, type AuthPayload } from '../support/flows.js';
import { CookieJar, errorCode, graphql } from '../support/http-client.js';
import { PASSWORD, startTestApi, uniqueEmail, type TestApi } from '../support/test-api.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const me = (token: string, jar: CookieJar | string) =>
  graphql(t.url, ME, {}, typeof jar === 'string' ? { token, cookie: jar } : { token, jar });
const pair = (jar: CookieJar) => ({ refresh: jar.get(REFRESH_COOKIE)!, fingerprint: jar.get(FINGERPRINT_COOKIE)! });
const cookieLine = (refreshToken: string, fingerprint: string) => `${REFRESH_COOKIE}=${refreshToken}; ${FINGERPRINT_COOKIE}=${fingerprint}`;
const liveSessions = (userId: string) => t.api.prisma.session.count({ where: { userId, revokedAt: null } });

describe('session renewal', () => {
  it('T58 changePassword renews this device: new refresh token and fingerprint; the old pair and the access token bound to the old fingerprint are refused', async () => {
    const device = await signUp(t.url);
    const other = await signIn(t.url, device.email);
    const before = pair(device.jar);
    const oldAccess = device.token;

    const r = await graphql<{ changePassword: AuthPayload }>(
      t.url,
      CHANGE_PASSWORD,
      { currentPassword: PASSWORD, newPassword: 'a renewed long passphrase' },
      { token: device.token, jar: device.jar },
    );
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    const after = pair(device.jar);
    const newAccess = r.body.data!.changePassword.accessToken;
    expect(after.refresh).not.toBe(before.refresh);
    expect(after.fingerprint).not.toBe(before.fingerprint);

    // The old pair is refused, alone and mixed with the new one.
    for (const [label, cookie] of [
      ['old pair', cookieLine(before.refresh, before.fingerprint)],
      ['old refresh, new fingerprint', cookieLine(before.refresh, after.fingerprint)],
      ['new refresh, old fingerprint', cookieLine(after.refresh, before.fingerprint)],
    ] as const) {
      const refused = await refresh(t.url, device.jar, { cookie, keepCookies: false });
      expect(refused.status, label).toBe(401);
      expect(errorCode(refused), label).toBe('UNAUTHENTICATED');
    }
    // The access token bound to the old fingerprint is refused, with either fingerprint cookie.
    expect((await me(oldAccess, `${FINGERPRINT_COOKIE}=${before.fingerprint}`)).status).toBe(401);
    expect((await me(oldAccess, `${FINGERPRINT_COOKIE}=${after.fingerprint}`)).status).toBe(401);
    expect((await me(newAccess, `${FINGERPRINT_COOKIE}=${before.fingerprint}`)).status).toBe(401);

    // The new pair works, and the device stays signed in; every other device is out (T49).
    expect((await me(newAccess, device.jar)).status).toBe(200);
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect((await me(other.token, other.jar)).status).toBe(401);
    expect((await refresh(t.url, other.jar)).status).toBe(401);
    expect(await liveSessions(device.user.id)).toBe(1);
  });

  it('T58 a failed password change renews nothing', async () => {
    const device = await signUp(t.url);
    const before = pair(device.jar);
    const wrong = await graphql(
      t.url,
      CHANGE_PASSWORD,
      { currentPassword: 'not the password', newPassword: 'a renewed long passphrase' },
      { token: device.token, jar: device.jar },
    );
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');
    expect(pair(device.jar)).toEqual(before);
    expect((await me(device.token, device.jar)).status).toBe(200);
    expect((await refresh(t.url, device.jar)).status).toBe(200);
  });

  it("T58 T50 signing in over a session's cookies ends that session: its refresh token and its access token are refused", async () => {
    const device = await signUp(t.url);
    const before = device.jar.clone();
    const r = await graphql<{ signIn: AuthPayload }>(t.url, SIGN_IN, { email: device.email, password: PASSWORD }, { jar: device.jar });
    expect(r.body.errors).toBeUndefined();
    expect(pair(device.jar).refresh).not.toBe(pair(before).refresh);
    expect(pair(device.jar).fingerprint).not.toBe(pair(before).fingerprint);

    expect((await refresh(t.url, before, { keepCookies: false })).status).toBe(401);
    expect((await me(device.token, before)).status).toBe(401);
    expect((await me(r.body.data!.signIn.accessToken, device.jar)).status).toBe(200);
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    expect(await liveSessions(device.user.id)).toBe(1);
    const replaced = await t.api.prisma.session.findFirstOrThrow({ where: { userId: device.user.id, revokedAt: { not: null } } });
    expect(replaced.revokedReason).toBe('replaced');
  });

  it("T58 signing up as someone else over a session's cookies ends that session too; only the access token (no cookies) also counts", async () => {
    const first = await signUp(t.url);
    const before = first.jar.clone();
    const up = await graphql<{ signUp: AuthPayload }>(
      t.url,
      SIGN_UP,
      { email: uniqueEmail('second'), password: PASSWORD },
      { jar: first.jar },
    );
    expect(up.body.errors).toBeUndefined();
    expect((await refresh(t.url, before, { keepCookies: false })).status).toBe(401);
    expect(await liveSessions(first.user.id)).toBe(0);

    // A client that sends its access token but no cookies while signing in again.
    const third = await signUp(t.url);
    const again = await graphql<{ signIn: AuthPayload }>(
      t.url,
      SIGN_IN,
      { email: third.email, password: PASSWORD },
      {
        token: third.token,
        jar: new CookieJar(),
        cookie: `${FINGERPRINT_COOKIE}=${third.jar.get(FINGERPRINT_COOKIE)}`,
      },
    );
    expect(again.body.errors).toBeUndefined();
    expect((await me(third.token, third.jar)).status).toBe(401);
    expect((await refresh(t.url, third.jar, { keepCookies: false })).status).toBe(401);
  });

  it("T58 a failed sign-in over a session's cookies changes nothing", async () => {
    const device = await signUp(t.url);
    const wrong = await graphql(t.url, SIGN_IN, { email: device.email, password: 'wrong wrong wrong' }, { jar: device.jar });
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');
    expect((await me(device.token, device.jar)).status).toBe(200);
    expect((await refresh(t.url, device.jar)).status).toBe(200);
    const list = await graphql<{ sessions: unknown[] }>(t.url, SESSIONS, {}, { token: device.token, jar: device.jar });
    expect(list.body.data!.sessions).toHaveLength(1);
  });
});
