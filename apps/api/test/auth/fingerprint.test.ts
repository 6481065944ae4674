// Token sidejacking defence (OWASP JWT CS, "Token Sidejacking"; THREATS T12, T13).
import { FINGERPRINT_COOKIE, NOTES } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/flows.js';
import { errorCode, graphql } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

describe('fingerprint cookie', () => {
  it('T12 a stolen access token replayed without the fingerprint cookie is refused', async () => {
    const victim = await signUp(t.url);
    const r = await graphql(t.url, NOTES, {}, { token: victim.token });
    expect(r.status).toBe(401);
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
  });

  it("T13 a stolen access token replayed with the attacker's own valid fingerprint is refused", async () => {
    const victim = await signUp(t.url);
    const attacker = await signUp(t.url);
    const r = await graphql(t.url, NOTES, {}, { token: victim.token, jar: attacker.jar });
    expect(r.status).toBe(401);
  });

  it('refuses a malformed or empty fingerprint cookie', async () => {
    const victim = await signUp(t.url);
    for (const value of ['', 'x', victim.jar.get(FINGERPRINT_COOKIE)!.slice(1), `${victim.jar.get(FINGERPRINT_COOKIE)!}A`]) {
      const r = await graphql(t.url, NOTES, {}, { token: victim.token, cookie: `${FINGERPRINT_COOKIE}=${value}` });
      expect(r.status).toBe(401);
    }
  });

  it('accepts the token with its own fingerprint (control)', async () => {
    const victim = await signUp(t.url);
    const r = await graphql(
      t.url,
      NOTES,
      {},
      { token: victim.token, cookie: `${FINGERPRINT_COOKIE}=${victim.jar.get(FINGERPRINT_COOKIE)}` },
    );
    expect(r.status).toBe(200);
  });
});
