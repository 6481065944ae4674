// The whole life of a session over real HTTP: sign-up → me → refresh (rotation) → sign-out.
import { FINGERPRINT_CLAIM, FINGERPRINT_COOKIE, HASURA_CLAIMS, ME, REFRESH_COOKIE, SESSION_CLAIM, SIGN_OUT } from '@app/shared';
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refresh, signUp } from '../support/flows.js';
import { errorCode, graphql } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

describe('session lifecycle', () => {
  it('T27 sign-up → me → refresh rotates → old refresh token is spent → sign-out clears both cookies and ends the session', async () => {
    const device = await signUp(t.url);
    const firstRefresh = device.jar.get(REFRESH_COOKIE)!;

    const me = await graphql<{ me: { email: string } }>(t.url, ME, {}, { token: device.token, jar: device.jar });
    expect(me.status).toBe(200);
    expect(me.body.data!.me.email).toBe(device.email);

    const r1 = await refresh(t.url, device.jar);
    expect(r1.status).toBe(200);
    const rotated = device.jar.get(REFRESH_COOKIE)!;
    expect(rotated).not.toBe(firstRefresh);
    expect(r1.body.data!.refreshAccessToken.accessToken).not.toBe(device.token);
    // The refresh token never appears in a body (T22).
    expect(JSON.stringify(r1.body)).not.toContain(rotated);

    const token = r1.body.data!.refreshAccessToken.accessToken;
    const out = await graphql<{ signOut: boolean }>(t.url, SIGN_OUT, {}, { token, jar: device.jar });
    expect(out.body.data!.signOut).toBe(true);
    expect(device.jar.get(REFRESH_COOKIE)).toBeUndefined();
    expect(device.jar.get(FINGERPRINT_COOKIE)).toBeUndefined();

    // The session is over: its access token and its refresh token are refused (T27).
    const after = await graphql(t.url, ME, {}, { token, cookie: `${FINGERPRINT_COOKIE}=${device.jar.get(FINGERPRINT_COOKIE) ?? ''}` });
    expect(after.status).toBe(401);
    const reuse = await refresh(t.url, device.jar, { cookie: `${REFRESH_COOKIE}=${rotated}` });
    expect(reuse.status).toBe(401);
  });

  it('T23 sets both cookies __Host-, HttpOnly, Secure, SameSite=Strict, Path=/, no Domain', async () => {
    const device = await signUp(t.url);
    const r = await refresh(t.url, device.jar);
    expect(r.setCookies).toHaveLength(2);
    for (const c of r.setCookies) {
      // A refresh token is 48 bytes (random part and tag, ADR 0019), a fingerprint 32.
      expect(c).toMatch(/^(__Host-refresh=[A-Za-z0-9_-]{64}|__Host-fingerprint=[A-Za-z0-9_-]{43});/);
      expect(c).toMatch(/; HttpOnly/);
      expect(c).toMatch(/; Secure/);
      expect(c).toMatch(/; SameSite=Strict/);
      expect(c).toMatch(/; Path=\/(;|$)/);
      expect(c).not.toMatch(/domain/i);
    }
  });

  it('the access token verifies against the JWKS endpoint and carries the contract claims', async () => {
    const device = await signUp(t.url);
    const jwks = createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(device.token, jwks, {
      issuer: t.env.JWT_ISSUER ?? 'urn:jwt-auth-reference:api',
      audience: 'urn:jwt-auth-reference:web',
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: 'test-key-1', typ: 'at+jwt' });
    expect(payload.sub).toBe(device.user.id);
    for (const claim of ['iss', 'aud', 'sub', 'iat', 'exp', 'jti', SESSION_CLAIM, FINGERPRINT_CLAIM]) {
      expect(payload, claim).toHaveProperty(claim);
    }
    const fingerprint = device.jar.get(FINGERPRINT_COOKIE)!;
    expect(payload[FINGERPRINT_CLAIM]).toBe(createHash('sha256').update(fingerprint).digest('hex'));
    expect(payload[HASURA_CLAIMS]).toEqual({
      'x-hasura-user-id': device.user.id,
      'x-hasura-default-role': 'user',
      'x-hasura-allowed-roles': ['user'],
    });
    expect(decodeProtectedHeader(device.token)).not.toHaveProperty('jwk');
  });

  it('JWKS publishes public keys only', async () => {
    const res = await fetch(`${t.url}/.well-known/jwks.json`);
    expect(res.headers.get('content-type')).toContain('application/jwk-set+json');
    const body = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(body.keys).toHaveLength(1);
    for (const k of body.keys) {
      expect(k).not.toHaveProperty('d');
      expect(k).toMatchObject({ kid: 'test-key-1', alg: 'EdDSA', use: 'sig' });
    }
  });

  it('me is null without an Authorization header, and 401 with a bad one (never anonymous)', async () => {
    const anon = await graphql<{ me: null }>(t.url, ME);
    expect(anon.status).toBe(200);
    expect(anon.body.data!.me).toBeNull();
    const bad = await graphql(t.url, ME, {}, { authorization: 'Bearer nope' });
    expect(bad.status).toBe(401);
    expect(errorCode(bad)).toBe('UNAUTHENTICATED');
    expect(bad.headers.get('www-authenticate')).toContain('Bearer');
  });
});
