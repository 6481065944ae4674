// CSRF and CORS (OWASP CSRF Prevention CS; docs/api-contract.md; THREATS T24–T26). A cross-site page can
// send cookies with a form POST; it must be rejected before execution and change nothing.
import { CSRF_HEADER, REFRESH_ACCESS_TOKEN, SIGN_OUT } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refresh, signUp } from '../support/flows.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

const body = (query: string) => JSON.stringify({ query });

describe('CSRF', () => {
  it('T24 form encodings and header-less JSON are rejected and rotate/revoke nothing', async () => {
    const victim = await signUp(t.url);
    const cookie = victim.jar.header();
    const attempts: [string, Record<string, string>, BodyInit][] = [
      ['text/plain', { 'content-type': 'text/plain' }, body(REFRESH_ACCESS_TOKEN)],
      ['urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ query: SIGN_OUT })],
      [
        'multipart',
        {},
        (() => {
          const f = new FormData();
          f.set('query', SIGN_OUT);
          return f;
        })(),
      ],
      ['json without header', { 'content-type': 'application/json' }, body(SIGN_OUT)],
      ['text/plain with header', { 'content-type': 'text/plain', [CSRF_HEADER]: '1' }, body(SIGN_OUT)],
    ];
    for (const [label, headers, payload] of attempts) {
      const r = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { ...headers, cookie }, body: payload });
      expect(r.status, label).toBe(403);
      const json = (await r.json()) as { errors: { extensions: { code: string } }[] };
      expect(json.errors[0]!.extensions.code).toBe('FORBIDDEN');
      expect(r.headers.getSetCookie(), label).toEqual([]);
    }
    // Nothing was rotated or revoked: the victim's cookies still refresh.
    expect((await refresh(t.url, victim.jar)).status).toBe(200);
  });

  it('T25 mutations over GET are rejected', async () => {
    const victim = await signUp(t.url);
    const url = `${t.url}/graphql?query=${encodeURIComponent(SIGN_OUT)}`;
    const r = await fetch(url, { headers: { cookie: victim.jar.header(), [CSRF_HEADER]: '1' } });
    expect(r.status).toBe(405);
    expect(r.headers.getSetCookie()).toEqual([]);
    expect((await refresh(t.url, victim.jar)).status).toBe(200);
  });

  it('T26 CORS: a preflight from another origin is not allowed; the web origin is', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': `content-type,${CSRF_HEADER}` },
      });
    for (const origin of ['https://evil.example', 'null', 'http://localhost:3000.evil.example']) {
      const evil = await preflight(origin);
      expect(evil.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(evil.headers.get('access-control-allow-credentials'), origin).toBeNull();
    }
    const web = await preflight('http://localhost:3000');
    expect(web.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(web.headers.get('access-control-allow-credentials')).toBe('true');
  });
});
