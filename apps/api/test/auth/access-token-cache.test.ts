// The cache of verified access tokens (src/auth/access-token.ts) must not widen what is accepted:
// with a token's verification cached, a revoked session, a wrong fingerprint, an expired or an
// altered token are refused exactly as on a cold cache (OWASP JWT CS; THREATS T06, T12, T13, T48).
import { FINGERPRINT_COOKIE, NOTES, SIGN_OUT } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokens } from '../../src/auth/access-token.js';
import { generatePrivateJwks, loadKeyRing } from '../../src/auth/keys.js';
import { signUp, type Device } from '../support/flows.js';
import { errorCode, graphql } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

/** Two accepted requests: the second one is answered from the cache. */
async function warm(device: Device) {
  for (let i = 0; i < 2; i++) {
    const r = await graphql(t.url, NOTES, {}, { token: device.token, jar: device.jar });
    expect(r.status).toBe(200);
  }
}

describe('verified-token cache, warm', () => {
  it("T48 a revoked session's cached token is refused at once", async () => {
    const device = await signUp(t.url);
    await warm(device);
    const out = await graphql<{ signOut: boolean }>(t.url, SIGN_OUT, {}, { token: device.token, jar: device.jar });
    expect(out.body.data!.signOut).toBe(true);
    const r = await graphql(
      t.url,
      NOTES,
      {},
      { token: device.token, cookie: `${FINGERPRINT_COOKIE}=${device.jar.get(FINGERPRINT_COOKIE)}` },
    );
    expect(r.status).toBe(401);
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
  });

  it('T12 T13 a cached token without its fingerprint, or with another valid one, is refused', async () => {
    const victim = await signUp(t.url);
    const attacker = await signUp(t.url);
    await warm(victim);
    const without = await graphql(t.url, NOTES, {}, { token: victim.token });
    expect(without.status).toBe(401);
    const other = await graphql(t.url, NOTES, {}, { token: victim.token, jar: attacker.jar });
    expect(other.status).toBe(401);
    expect(errorCode(other)).toBe('UNAUTHENTICATED');
  });

  it('T01 a cached token with any one character changed is verified again and refused', async () => {
    const device = await signUp(t.url);
    await warm(device);
    const [h, p, s] = device.token.split('.') as [string, string, string];
    const flip = (x: string, i: number) => x.slice(0, i) + (x[i] === 'A' ? 'B' : 'A') + x.slice(i + 1);
    for (const forged of [`${h}.${p}.${flip(s, 5)}`, `${h}.${flip(p, 10)}.${s}`, `${flip(h, 3)}.${p}.${s}`, `${device.token}A`]) {
      const r = await graphql(t.url, NOTES, {}, { token: forged, jar: device.jar });
      expect(r.status).toBe(401);
    }
  });
});

describe('verified-token cache and expiry', () => {
  it('T06 a cached token is refused once expired beyond the leeway, as on a cold cache', async () => {
    let clock = Date.now();
    const keys = await loadKeyRing({ jwks: await generatePrivateJwks('cache-test'), dataDir: '/nonexistent' });
    const settings = { issuer: 'urn:test:iss', audience: 'urn:test:aud', ttlSeconds: 60 };
    const tokens = createAccessTokens(keys, settings, { now: () => clock });
    const cold = createAccessTokens(keys, settings, { now: () => clock });
    const { token } = await tokens.issue({
      userId: crypto.randomUUID(),
      sessionId: crypto.randomUUID(),
      fingerprintHash: 'a'.repeat(64),
      notAfter: new Date(clock + 3600_000),
    });
    expect(await tokens.verify(token)).not.toBeNull();
    expect(await tokens.verify(token)).not.toBeNull(); // cached

    clock += 59_000; // before exp: still valid on both
    expect(await tokens.verify(token)).not.toBeNull();
    expect(await cold.verify(token)).not.toBeNull();

    clock += 61_000 + 5_000; // past exp and the 5 s clock tolerance
    expect(await cold.verify(token)).toBeNull();
    expect(await tokens.verify(token)).toBeNull();
  });

  it('stays bounded: beyond its size the oldest entries are verified again, and still accepted', async () => {
    const keys = await loadKeyRing({ jwks: await generatePrivateJwks('cache-bound'), dataDir: '/nonexistent' });
    const tokens = createAccessTokens(keys, { issuer: 'i', audience: 'a', ttlSeconds: 60 }, { maxCachedTokens: 2 });
    const issue = async () =>
      (
        await tokens.issue({
          userId: crypto.randomUUID(),
          sessionId: crypto.randomUUID(),
          fingerprintHash: 'b'.repeat(64),
          notAfter: new Date(Date.now() + 3600_000),
        })
      ).token;
    const all = [await issue(), await issue(), await issue()];
    for (const token of all) expect(await tokens.verify(token)).not.toBeNull();
    expect(tokens.cachedTokens()).toBe(2);
    for (const token of all) expect(await tokens.verify(token)).not.toBeNull();
    expect(tokens.cachedTokens()).toBe(2);
  });
});
