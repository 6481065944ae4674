// The API's request edge (THREATS T24, T37, T53, T56): the CSRF rule holds on every path and
// encoding, only exact paths are served, form encodings are never parsed, a malformed Host gets a
// 400 with no stack trace, and introspection is bounded like any other query. Raw HTTP over a
// socket: `fetch` would normalise the paths (`/./graphql`, `//graphql`) and refuse odd Hosts.
//
// Defence-removal checks (by hand, see the change's report): with the old `pathname === '/graphql'`
// CSRF condition AND without the exact-path guard, the CSRF property goes red (a urlencoded or
// header-less signOut on `/graphql/` ran); without the Host check, the Host test gets 500 with
// `TypeError: Invalid URL`; with armor's default `ignoreIntrospection`, the 40-deep query is answered.
import { CSRF_HEADER, REFRESH_ACCESS_TOKEN, SIGN_IN, SIGN_OUT } from '@app/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/flows.js';
import { rawRequest, type RawHeader } from '../support/raw-http.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

/** Spellings of the GraphQL path: none of them is `/graphql` byte for byte, except the last ones. */
const PATHS = [
  '/graphql/',
  '/GRAPHQL',
  '/Graphql',
  '//graphql',
  '/graphql//',
  '/graphql/?x=1',
  '/x?y=/graphql',
  '/anything/graphql',
  '/%67raphql',
  '/graphql%2F',
  '/./graphql',
  '/a/../graphql',
  '/graphql/.',
  '/graphql;',
  '/graphql.json',
  '/api/graphql',
  '/healthz',
  '/health',
  'http://127.0.0.1/graphql',
  '/graphql',
  '/graphql?',
  '/graphql?query=x',
];

type Encoding = { name: string; headers: (op: string) => RawHeader[]; body: (op: string) => string };
const boundary = '----edge-test-boundary';
const ENCODINGS: Encoding[] = [
  {
    name: 'urlencoded',
    headers: () => [['Content-Type', 'application/x-www-form-urlencoded']],
    body: (op) => `query=${encodeURIComponent(op)}`,
  },
  {
    name: 'multipart',
    headers: () => [['Content-Type', `multipart/form-data; boundary=${boundary}`]],
    body: (op) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: op })}\r\n--${boundary}\r\nContent-Disposition: form-data; name="query"\r\n\r\n${op}\r\n--${boundary}--\r\n`,
  },
  { name: 'text/plain', headers: () => [['Content-Type', 'text/plain']], body: (op) => JSON.stringify({ query: op }) },
  {
    name: 'JSON without the CSRF header',
    headers: () => [['Content-Type', 'application/json']],
    body: (op) => JSON.stringify({ query: op }),
  },
  { name: 'no content type', headers: () => [], body: (op) => JSON.stringify({ query: op }) },
  { name: 'application/graphql', headers: () => [['Content-Type', 'application/graphql']], body: (op) => op },
  // With the header (a same-origin script could send it) but still not JSON: refused as well.
  {
    name: 'urlencoded with the header',
    headers: () => [
      ['Content-Type', 'application/x-www-form-urlencoded'],
      [CSRF_HEADER, '1'],
    ],
    body: (op) => `query=${encodeURIComponent(op)}`,
  },
  {
    name: 'multipart with the header',
    headers: () => [
      ['Content-Type', `multipart/form-data; boundary=${boundary}`],
      [CSRF_HEADER, '1'],
    ],
    body: (op) => `--${boundary}\r\nContent-Disposition: form-data; name="query"\r\n\r\n${op}\r\n--${boundary}--\r\n`,
  },
  {
    name: 'text/plain with the header',
    headers: () => [
      ['Content-Type', 'text/plain'],
      [CSRF_HEADER, '1'],
    ],
    body: (op) => JSON.stringify({ query: op }),
  },
];

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

describe('request edge', () => {
  it('T56 CSRF: every path spelling × every form or header-less encoding is refused and changes nothing', async () => {
    const victim = await signUp(t.url);
    const cookie = victim.jar.header();
    const session = await t.api.prisma.session.findFirstOrThrow({ where: { userId: victim.user.id } });
    const tokensBefore = await t.api.prisma.refreshToken.count({ where: { sessionId: session.id } });

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PATHS),
        fc.constantFrom(...ENCODINGS),
        fc.constantFrom(SIGN_OUT, REFRESH_ACCESS_TOKEN),
        async (path, encoding, op) => {
          const r = await rawRequest(t.url, {
            method: 'POST',
            path,
            headers: [...encoding.headers(op), ['Cookie', cookie]],
            body: encoding.body(op),
          });
          const label = `${path} ${encoding.name} ${op.trim().split(/\s+/)[1]} → ${r.status} ${r.body}`;
          expect([403, 404, 415], label).toContain(r.status);
          expect(r.headers.get('set-cookie'), label).toBeUndefined();
          expect(r.body, label).not.toMatch(/"data"/);
        },
      ),
      { numRuns: 150 },
    );

    // Nothing was signed out or rotated.
    const after = await t.api.prisma.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(after.revokedAt).toBeNull();
    expect(await t.api.prisma.refreshToken.count({ where: { sessionId: session.id } })).toBe(tokensBefore);
  });

  it('T56 only the exact paths are served: a well-formed request to any other spelling of /graphql is 404', async () => {
    const query = JSON.stringify({ query: '{ __typename }' });
    const json: RawHeader[] = [
      ['Content-Type', 'application/json'],
      [CSRF_HEADER, '1'],
    ];
    for (const path of PATHS) {
      const r = await rawRequest(t.url, { method: 'POST', path, headers: json, body: query });
      const exact = path === '/graphql' || path.startsWith('/graphql?');
      expect(r.status, `${path} → ${r.body}`).toBe(exact ? 200 : 404);
    }
    for (const path of ['/graphql/', '//graphql', '/GRAPHQL', '/x?y=/graphql', '/health']) {
      const r = await rawRequest(t.url, { path: `${path}${path.includes('?') ? '&' : '?'}query=%7B__typename%7D` });
      expect(r.status, `GET ${path}`).toBe(404);
    }
    expect((await rawRequest(t.url, { path: '/healthz' })).status).toBe(200);
    expect((await rawRequest(t.url, { path: '/.well-known/jwks.json' })).status).toBe(200);
  });

  it('T24 form encodings are not parsed even with the CSRF header: 403, or 415 from the parser guard', async () => {
    const body = `query=${encodeURIComponent(SIGN_IN)}&variables=${encodeURIComponent('{"email":"a@example.test","password":"x"}')}`;
    const r = await rawRequest(t.url, {
      method: 'POST',
      path: '/graphql',
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        [CSRF_HEADER, '1'],
      ],
      body,
    });
    expect([403, 415]).toContain(r.status);
  });

  it('T53 a malformed Host header gets 400 before GraphQL, never a 500 or a stack trace', async () => {
    const malformed = [
      'a b',
      'a/b',
      'x/graphql?',
      '[::1',
      '[zz::1]',
      '[::1]x',
      'host:99999',
      'host:port',
      'host:',
      '1.2.3.999',
      'a@b',
      'a\\b',
      'a#b',
      '<script>',
      ':80',
      '%41',
      'exa mple.test:80',
      Buffer.from([0x61, 0xe9, 0x62]),
      'a\tb',
    ];
    for (const host of malformed) {
      for (const request of [
        { method: 'GET', path: '/healthz' },
        {
          method: 'POST',
          path: '/graphql',
          headers: [
            ['Content-Type', 'application/json'],
            [CSRF_HEADER, '1'],
          ] as RawHeader[],
          body: JSON.stringify({ query: '{ __typename }' }),
        },
      ]) {
        const r = await rawRequest(t.url, { ...request, host });
        const label = `Host ${JSON.stringify(host.toString())} ${request.method} → ${r.status} ${r.body}`;
        expect(r.status, label).toBe(400);
        expect(r.body, label).not.toMatch(/TypeError|Invalid URL|\bat \S+ \(|\.ts:|\.js:|node_modules/);
      }
    }
    for (const host of ['localhost', `127.0.0.1:${new URL(t.url).port}`, '[::1]:4000', 'api.example.test', 'API.Example.Test.']) {
      expect((await rawRequest(t.url, { path: '/healthz', host })).status, host).toBe(200);
    }
    // HTTP/1.1 without Host: Node itself answers 400 (RFC 9112 §3.2).
    expect((await rawRequest(t.url, { path: '/healthz', host: null })).status).toBe(400);
  });
});

describe('introspection limits', () => {
  let dev: TestApi;
  beforeAll(async () => {
    dev = await startTestApi({ NODE_ENV: 'development' });
  });
  afterAll(() => dev?.close());

  it('T37 a 40-deep ofType introspection query is rejected, even in development', async () => {
    const ofType = (n: number): string => (n === 0 ? 'name' : `name ofType { ${ofType(n - 1)} }`);
    const deep = `{ __schema { types { fields { type { ${ofType(40)} } } } } }`;
    const byType = `{ __type(name: "Query") { fields { type { ${ofType(40)} } } } }`;
    for (const query of [deep, byType]) {
      const r = await rawRequest(dev.url, {
        method: 'POST',
        path: '/graphql',
        headers: [
          ['Content-Type', 'application/json'],
          [CSRF_HEADER, '1'],
        ],
        body: JSON.stringify({ query }),
      });
      expect(r.status, r.body).toBe(400);
      expect(r.body).not.toMatch(/"data"/);
    }
    // Introspection itself still works in development, within the limits.
    const shallow = await rawRequest(dev.url, {
      method: 'POST',
      path: '/graphql',
      headers: [
        ['Content-Type', 'application/json'],
        [CSRF_HEADER, '1'],
      ],
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    expect(shallow.status, shallow.body).toBe(200);
  });
});
