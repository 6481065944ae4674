// Access-token validation, attack by attack (RFC 8725 §2–3; OWASP JWT CS; THREATS T01–T11).
// Every forged token below must get 401 UNAUTHENTICATED, never 200, never 500, never anonymous.
import { FINGERPRINT_CLAIM, ME, NOTES } from '@app/shared';
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateJwks } from '../../src/auth/keys.js';
import { signUp, type Device } from '../support/flows.js';
import { attackerKey, hs256WithPublicKey, signWithJwks, tamper, unsigned } from '../support/forge.js';
import { errorCode, graphql } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
let victim: Device;
let attacker: Device;
beforeAll(async () => {
  t = await startTestApi();
  victim = await signUp(t.url);
  attacker = await signUp(t.url);
});
afterAll(() => t?.close());

/** Sends a forged token with the attacker's own (valid) fingerprint cookie. */
async function expectRejected(token: string) {
  const r = await graphql(t.url, NOTES, {}, { authorization: `Bearer ${token}`, jar: attacker.jar });
  expect(r.status).toBe(401);
  expect(errorCode(r)).toBe('UNAUTHENTICATED');
  expect(r.body.data ?? null).toBeNull();
}

/** A token with the attacker's fingerprint hash, so only the defect under test can fail it. */
const claimsOf = (d: Device) => decodeJwt(d.token);

describe('access token attacks', () => {
  it('accepts the genuine token (control)', async () => {
    const r = await graphql(t.url, NOTES, {}, { token: attacker.token, jar: attacker.jar });
    expect(r.status).toBe(200);
  });

  it('T01 payload edited (sub of another user), signature kept', async () => {
    await expectRejected(tamper(attacker.token, (p) => (p.sub = victim.user.id)));
  });

  it('T02 alg:none, signature stripped or empty', async () => {
    await expectRejected(unsigned(attacker.token, 'none'));
    await expectRejected(unsigned(attacker.token, 'None'));
    await expectRejected(unsigned(attacker.token, 'EdDSA'));
  });

  it('T03 HS256 with the server public key as HMAC secret (key confusion)', async () => {
    const jwks = await (await fetch(`${t.url}/.well-known/jwks.json`)).text();
    const x = (JSON.parse(jwks) as { keys: { x: string }[] }).keys[0]!.x;
    await expectRejected(hs256WithPublicKey(attacker.token, jwks));
    await expectRejected(hs256WithPublicKey(attacker.token, x));
  });

  it('T04 signed by an attacker key with the server kid; unknown kid', async () => {
    const { privateKey } = await attackerKey();
    const claims = claimsOf(attacker);
    const forged = await new SignJWT({ ...claims, sub: victim.user.id })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'test-key-1', typ: 'at+jwt' })
      .sign(privateKey);
    await expectRejected(forged);
    await expectRejected(
      tamper(
        attacker.token,
        () => {},
        (h) => (h.kid = 'no-such-key'),
      ),
    );
  });

  it('T05 attacker key embedded in the header (jwk, jku, x5u, x5c) is ignored', async () => {
    const { privateKey, publicJwk } = await attackerKey();
    const claims = { ...claimsOf(attacker), sub: victim.user.id };
    for (const header of [
      { jwk: publicJwk },
      { jwk: publicJwk, kid: undefined },
      { jku: 'http://127.0.0.1:1/jwks.json' },
      { x5u: 'http://127.0.0.1:1/cert.pem' },
      { x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] },
    ]) {
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test-key-1', typ: 'at+jwt', ...header })
        .sign(privateKey);
      await expectRejected(forged);
    }
  });

  it('T06 expired beyond the leeway', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(await signWithJwks(t.env.JWT_PRIVATE_KEYS!, { ...claimsOf(attacker), iat: now - 400, exp: now - 30 }));
  });

  it('T07 nbf or iat in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(await signWithJwks(t.env.JWT_PRIVATE_KEYS!, { ...claimsOf(attacker), nbf: now + 120 }));
    await expectRejected(await signWithJwks(t.env.JWT_PRIVATE_KEYS!, { ...claimsOf(attacker), iat: now + 120, exp: now + 300 }));
  });

  it('T08 wrong iss, wrong aud, missing sub or exp, wrong typ', async () => {
    const base = claimsOf(attacker);
    const sign = (payload: Record<string, unknown>, header = {}) => signWithJwks(t.env.JWT_PRIVATE_KEYS!, payload, header);
    await expectRejected(await sign({ ...base, iss: 'https://evil.example' }));
    await expectRejected(await sign({ ...base, aud: 'some-other-api' }));
    const { sub: _sub, ...noSub } = base;
    await expectRejected(await sign(noSub));
    const { exp: _exp, ...noExp } = base;
    await expectRejected(await sign(noExp));
    await expectRejected(await sign(base, { typ: 'JWT' }));
  });

  it('T09 claim type confusion: exp as string, sub as object or array, fgp as number', async () => {
    const base = claimsOf(attacker);
    const sign = (payload: Record<string, unknown>) => signWithJwks(t.env.JWT_PRIVATE_KEYS!, payload);
    await expectRejected(await sign({ ...base, exp: String(base.exp) }));
    await expectRejected(await sign({ ...base, sub: { id: base.sub } }));
    await expectRejected(await sign({ ...base, sub: [base.sub] }));
    await expectRejected(await sign({ ...base, [FINGERPRINT_CLAIM]: 12345 }));
  });

  it('T10 garbage Authorization headers are 401, never 500', async () => {
    for (const authorization of [
      'Bearer',
      'Bearer ',
      'Bearer a.b',
      'Bearer a.b.c',
      `Bearer ${'A'.repeat(10_000)}`,
      'Bearer !!!.@@@.###',
      `Bearer ${attacker.token} ${attacker.token}`,
      `Bearer ${attacker.token}, Bearer ${attacker.token}`,
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      attacker.token,
      '',
    ]) {
      const r = await graphql(t.url, ME, {}, { authorization, jar: attacker.jar });
      expect(r.status, authorization.slice(0, 40)).toBe(401);
      expect(errorCode(r)).toBe('UNAUTHENTICATED');
    }
  });
});

describe('T11 signing-key rotation', () => {
  it('a token from before a rotation keeps working; a key removed from the verify set stops it', async () => {
    const rotating = await startTestApi();
    try {
      const oldKeys = JSON.parse(rotating.env.JWT_PRIVATE_KEYS!) as { keys: object[] };
      const before = await signUp(rotating.url);

      // New key first (it signs), old key second (it still verifies).
      const fresh = JSON.parse(await generatePrivateJwks('test-key-2')) as { keys: object[] };
      await rotating.restart({ JWT_PRIVATE_KEYS: JSON.stringify({ keys: [...fresh.keys, ...oldKeys.keys] }) });
      expect((await graphql(rotating.url, ME, {}, { token: before.token, jar: before.jar })).status).toBe(200);
      const after = await signUp(rotating.url);
      expect(decodeJwt(after.token)).toBeTruthy();
      expect(JSON.parse(Buffer.from(after.token.split('.')[0]!, 'base64url').toString()).kid).toBe('test-key-2');

      // Old key retired: its tokens die, the new key's tokens live.
      await rotating.restart({ JWT_PRIVATE_KEYS: JSON.stringify(fresh) });
      expect((await graphql(rotating.url, ME, {}, { token: before.token, jar: before.jar })).status).toBe(401);
      expect((await graphql(rotating.url, ME, {}, { token: after.token, jar: after.jar })).status).toBe(200);
    } finally {
      await rotating.close();
    }
  });
});
