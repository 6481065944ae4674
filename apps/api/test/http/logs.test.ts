// Nothing secret reaches the logs (OWASP Logging CS; THREATS T22): not access tokens, refresh
// tokens, fingerprints or passwords — even at trace level, even when requests fail.
import { ADD_NOTE, FINGERPRINT_COOKIE, ME, REFRESH_COOKIE, SIGN_IN, SIGN_UP } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refresh, signUp } from '../support/flows.js';
import { graphql } from '../support/http-client.js';
import { PASSWORD, startTestApi, type TestApi } from '../support/test-api.js';

const lines: string[] = [];
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ REFRESH_REUSE_GRACE_SECONDS: '0' }, { logLines: lines });
});
afterAll(() => t?.close());

describe('logs', () => {
  it('T22 never contain tokens, cookies or passwords', async () => {
    const d = await signUp(t.url);
    const secrets = [d.token, d.jar.get(REFRESH_COOKIE)!, d.jar.get(FINGERPRINT_COOKIE)!, PASSWORD];
    const r = await refresh(t.url, d.jar);
    secrets.push(r.body.data!.refreshAccessToken.accessToken, d.jar.get(REFRESH_COOKIE)!);
    // Failures too: a wrong password, a password sent with the wrong type, a bad token, a reuse.
    const wrong = 'my-wrong-secret-passphrase';
    secrets.push(wrong);
    await graphql(t.url, SIGN_IN, { email: d.email, password: wrong });
    await graphql(t.url, SIGN_UP, { email: d.email, password: 987654321012 });
    secrets.push('987654321012');
    await graphql(t.url, ME, {}, { authorization: `Bearer ${d.token}x`, jar: d.jar });
    await graphql(t.url, ADD_NOTE, { text: 'hello' }, { token: d.token, jar: d.jar });

    expect(lines.length).toBeGreaterThan(0);
    const log = lines.join('\n');
    for (const secret of secrets) expect(log).not.toContain(secret);
  });

  it('record security events with ids, never the e-mail typed', async () => {
    const d = await signUp(t.url);
    await graphql(t.url, SIGN_IN, { email: d.email, password: 'not the password' });
    const stolen = d.jar.clone();
    await refresh(t.url, d.jar);
    await refresh(t.url, d.jar); // the successor is presented: the stolen token is spent (ADR 0008)
    await refresh(t.url, stolen, { keepCookies: false }); // reuse after the (zero) grace window

    const events = lines.map((l) => JSON.parse(l) as { level: number; audit?: Record<string, unknown> }).filter((l) => l.audit);
    const mine = (event: string) => events.filter((e) => e.audit!.event === event && e.audit!.userId === d.user.id);
    expect(mine('signed-up')).toHaveLength(1);
    expect(mine('sign-in-failed')).toHaveLength(1);
    const reuse = events.find((e) => e.audit!.event === 'sessions-revoked' && e.audit!.reason === 'refresh-token-reuse');
    expect(reuse?.level).toBe(40); // warn: a stolen token was just used
    expect(JSON.stringify(events)).not.toContain(d.email);
  });
});
