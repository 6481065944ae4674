// Sessions per device: list, revoke, sign out everywhere, password change (THREATS T20, T46–T50).
import { CHANGE_PASSWORD, ME, REVOKE_SESSION, SESSIONS, SIGN_IN, SIGN_OUT, SIGN_OUT_EVERYWHERE } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refresh, signIn, signUp } from '../support/flows.js';
import { CookieJar, errorCode, graphql } from '../support/http-client.js';
import { PASSWORD, startTestApi, type TestApi } from '../support/test-api.js';

type SessionRow = { id: string; current: boolean; userAgent: string | null; expiresAt: string };

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const me = (d: { token: string; jar: CookieJar }) => graphql(t.url, ME, {}, { token: d.token, jar: d.jar });

describe('sessions', () => {
  it('lists one session per device and marks the current one', async () => {
    const laptop = await signUp(t.url, { userAgent: 'Laptop/1.0' });
    const phone = await signIn(t.url, laptop.email, PASSWORD, { headers: { 'user-agent': 'Phone/2.0' } });
    const r = await graphql<{ sessions: SessionRow[] }>(t.url, SESSIONS, {}, { token: phone.token, jar: phone.jar });
    const sessions = r.body.data!.sessions;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['Phone/2.0']);
  });

  it('T50 every sign-in creates a new session with new cookies', async () => {
    const a = await signUp(t.url);
    const jar = a.jar.clone();
    const r = await graphql<{ signIn: { accessToken: string } }>(t.url, SIGN_IN, { email: a.email, password: PASSWORD }, { jar });
    expect(jar.get('__Host-refresh')).not.toBe(a.jar.get('__Host-refresh'));
    expect(jar.get('__Host-fingerprint')).not.toBe(a.jar.get('__Host-fingerprint'));
    expect(r.body.data!.signIn.accessToken).not.toBe(a.token);
  });

  it('T47 sign-out ends this session only', async () => {
    const a = await signUp(t.url);
    const b = await signIn(t.url, a.email);
    await graphql(t.url, SIGN_OUT, {}, { token: a.token, jar: a.jar });
    expect((await me(a)).status).toBe(401);
    expect((await me(b)).status).toBe(200);
    expect((await refresh(t.url, b.jar)).status).toBe(200);
  });

  it('sign-out with an expired access token still ends the session through the cookies', async () => {
    const a = await signUp(t.url);
    const jar = a.jar.clone();
    const r = await graphql<{ signOut: boolean }>(t.url, SIGN_OUT, {}, { jar: a.jar });
    expect(r.body.data!.signOut).toBe(true);
    expect((await refresh(t.url, jar)).status).toBe(401);
  });

  it("T48 sign-out-everywhere refuses the other sessions' unexpired access tokens at once", async () => {
    const a = await signUp(t.url);
    const b = await signIn(t.url, a.email);
    expect((await me(b)).status).toBe(200);
    const r = await graphql<{ signOutEverywhere: boolean }>(t.url, SIGN_OUT_EVERYWHERE, {}, { token: a.token, jar: a.jar });
    expect(r.body.data!.signOutEverywhere).toBe(true);
    const late = await me(b);
    expect(late.status).toBe(401);
    expect(errorCode(late)).toBe('UNAUTHENTICATED');
    expect((await refresh(t.url, b.jar)).status).toBe(401);
    expect((await me(a)).status).toBe(401);
  });

  it('T46 revokeSession with another user\'s session id is "not found" and that session survives', async () => {
    const victim = await signUp(t.url);
    const attacker = await signUp(t.url);
    const victimSessions = await graphql<{ sessions: SessionRow[] }>(t.url, SESSIONS, {}, { token: victim.token, jar: victim.jar });
    const victimSessionId = victimSessions.body.data!.sessions[0]!.id;

    const r = await graphql(t.url, REVOKE_SESSION, { id: victimSessionId }, { token: attacker.token, jar: attacker.jar });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toBe('Session not found');
    const unknown = await graphql(t.url, REVOKE_SESSION, { id: crypto.randomUUID() }, { token: attacker.token, jar: attacker.jar });
    expect(unknown.body.errors![0]!.message).toBe('Session not found');

    expect((await me(victim)).status).toBe(200);
    expect((await refresh(t.url, victim.jar)).status).toBe(200);
  });

  it('revokeSession ends one of my other devices immediately', async () => {
    const laptop = await signUp(t.url);
    const phone = await signIn(t.url, laptop.email);
    const list = await graphql<{ sessions: SessionRow[] }>(t.url, SESSIONS, {}, { token: laptop.token, jar: laptop.jar });
    const phoneSession = list.body.data!.sessions.find((s) => !s.current)!;
    const r = await graphql<{ revokeSession: boolean }>(
      t.url,
      REVOKE_SESSION,
      { id: phoneSession.id },
      { token: laptop.token, jar: laptop.jar },
    );
    expect(r.body.data!.revokeSession).toBe(true);
    expect((await me(phone)).status).toBe(401);
    expect((await refresh(t.url, phone.jar)).status).toBe(401);
    expect((await me(laptop)).status).toBe(200);
  });

  it('revokeSession of the current session clears both cookies, however its id is spelled', async () => {
    // A UUID names the same session in any letter case (PostgreSQL's uuid type compares values, not
    // text), so the session ends for every spelling; the cookies must go with it for every spelling too.
    for (const spell of [
      (id: string) => id,
      (id: string) => id.toUpperCase(),
      (id: string) => id.replace(/[a-f]/, (c) => c.toUpperCase()),
    ]) {
      const a = await signUp(t.url);
      const list = await graphql<{ sessions: SessionRow[] }>(t.url, SESSIONS, {}, { token: a.token, jar: a.jar });
      const id = list.body.data!.sessions.find((s) => s.current)!.id;
      const r = await graphql<{ revokeSession: boolean }>(t.url, REVOKE_SESSION, { id: spell(id) }, { token: a.token, jar: a.jar });
      expect(r.body.data!.revokeSession).toBe(true);
      expect((await me(a)).status).toBe(401);
      expect(a.jar.get('__Host-refresh')).toBeUndefined();
      expect(a.jar.get('__Host-fingerprint')).toBeUndefined();
    }
  });

  it('T49 changePassword ends all other sessions, keeps this one, and the new password works', async () => {
    const a = await signUp(t.url);
    const b = await signIn(t.url, a.email);
    const wrong = await graphql(
      t.url,
      CHANGE_PASSWORD,
      { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' },
      { token: a.token, jar: a.jar },
    );
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');
    expect((await me(b)).status).toBe(200); // a failed change changes nothing

    const r = await graphql<{ changePassword: { accessToken: string } }>(
      t.url,
      CHANGE_PASSWORD,
      { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
      { token: a.token, jar: a.jar },
    );
    expect(r.body.errors).toBeUndefined();
    expect((await me(b)).status).toBe(401);
    expect((await refresh(t.url, b.jar)).status).toBe(401);
    expect((await me({ token: r.body.data!.changePassword.accessToken, jar: a.jar })).status).toBe(200);
    expect((await refresh(t.url, a.jar)).status).toBe(200);

    const old = await graphql(t.url, SIGN_IN, { email: a.email, password: PASSWORD });
    expect(errorCode(old)).toBe('BAD_USER_INPUT');
    await signIn(t.url, a.email, 'a brand new passphrase');
  });
});
