// The web server in front of the API, against real upstream servers over real HTTP: the routing of
// server/web-server.ts with the proxy of server/api-proxy.ts (Next.js itself is replaced by a handler
// that answers "page": what Next.js renders is not what these tests are about).
import { REFRESH_COOKIE } from '@app/shared';
import fc from 'fast-check';
import { once } from 'node:events';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiProxy, isGraphqlPath, toApiPath, type ApiProxy } from '../server/api-proxy';
import { createWebServer } from '../server/web-server';
import { EchoServer } from './support/echo-server';
import { GraphqlTestServer } from './support/graphql-test-server';
import { rawExchange } from './support/raw-http';

type Web = { server: Server; proxy: ApiProxy; port: number; origin: string };
const started: Web[] = [];

async function startWeb(
  apiOrigin: string,
  { trustedProxies = new Set<string>(), dev = false }: { trustedProxies?: Set<string>; dev?: boolean } = {},
): Promise<Web> {
  const proxy = createApiProxy(apiOrigin, { trustedProxies });
  const server = createWebServer({
    dev,
    trustProxy: false,
    apiProxy: proxy,
    handlePage: (_req, res) => void res.end('page'),
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const web = { server, proxy, port, origin: `http://127.0.0.1:${port}` };
  started.push(web);
  return web;
}

/** node:http, so that repeated header lines and hop-by-hop headers go out as written. */
function send(url: string, { method = 'POST', headers = {} }: { method?: string; headers?: Record<string, string | string[]> } = {}) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let graphql: GraphqlTestServer;
let echo: EchoServer;
let toGraphql: Web;
let toEcho: Web;

beforeAll(async () => {
  graphql = await new GraphqlTestServer().start();
  echo = await new EchoServer().start();
  toGraphql = await startWeb(new URL(graphql.url).origin);
  toEcho = await startWeb(echo.origin);
});

afterAll(async () => {
  for (const web of started) {
    web.proxy.close();
    web.server.closeAllConnections();
    await new Promise((r) => web.server.close(r));
  }
  await graphql.stop();
  await echo.stop();
});

describe('path mapping', () => {
  it('proxies exactly /api/graphql to /graphql', () => {
    expect(isGraphqlPath('/api/graphql')).toBe(true);
    expect(isGraphqlPath('/api/graphql?query=x')).toBe(true);
    expect(isGraphqlPath('/api/graphqlx')).toBe(false);
    expect(isGraphqlPath('/api/graphql/../admin')).toBe(false);
    expect(isGraphqlPath('/notes')).toBe(false);
    expect(toApiPath('/api/graphql?a=1')).toBe('/graphql?a=1');
  });
});

describe('HTTP', () => {
  it('forwards Cookie and the CSRF header, and returns Set-Cookie as the API wrote it', async () => {
    const response = await fetch(`${toGraphql.origin}/api/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-graphql-yoga-csrf': '1',
        cookie: `${REFRESH_COOKIE}=r0; __Host-fingerprint=f0`,
      },
      body: JSON.stringify({
        operationName: 'RefreshAccessToken',
        query: 'mutation RefreshAccessToken { refreshAccessToken { accessToken } }',
      }),
    });
    expect(response.status).toBe(200);
    const seen = graphql.requests.at(-1);
    expect(seen?.csrf).toBe('1');
    expect(seen?.cookie).toBe(`${REFRESH_COOKIE}=r0; __Host-fingerprint=f0`);
    expect(response.headers.getSetCookie()).toEqual([`${REFRESH_COOKIE}=r1; Path=/; HttpOnly; Secure; SameSite=Strict`]);
  });

  it('passes the API refusal through (no CSRF header → the API says 403, not the proxy)', async () => {
    const response = await fetch(`${toGraphql.origin}/api/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(403);
  });

  it('answers 502 in the contract error shape when the API is down', async () => {
    const dead = await startWeb('http://127.0.0.1:1');
    const response = await fetch(`${dead.origin}/api/graphql`, { method: 'POST' });
    expect(response.status).toBe(502);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  });
});

describe('kept-alive upstream connections', () => {
  it("drops an idle connection to the API before the API's keep-alive timeout ends it", async () => {
    const api = createServer((req, res) => req.resume().on('end', () => res.end(String(req.socket.remotePort))));
    api.keepAliveTimeout = 2_000; // announced as Keep-Alive: timeout=2 → the agent keeps it ~1 s
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    const web = await startWeb(`http://127.0.0.1:${(api.address() as AddressInfo).port}`);
    const post = async () => (await send(`${web.origin}/api/graphql`, { headers: { 'content-type': 'application/json' } })).body;
    try {
      const first = await post();
      expect(await post()).toBe(first); // kept alive
      await new Promise((r) => setTimeout(r, 1_300));
      expect(await post()).not.toBe(first); // idle: a new connection, not the one the API is closing
    } finally {
      api.closeAllConnections();
      await new Promise((r) => api.close(r));
    }
  });
});

describe('X-Forwarded-For (THREATS T57)', () => {
  const spoof = fc.oneof(
    fc.ipV4(),
    fc.ipV6(),
    fc.constantFrom('127.0.0.1', '::1', '::ffff:127.0.0.1', 'unknown', '_hidden', 'for=198.51.100.1', ''),
  );
  const chain = fc.array(spoof, { minLength: 1, maxLength: 4 }).map((hops) => hops.join(', '));

  it('T57 whatever X-Forwarded-For (or Forwarded, X-Real-IP) the client sends, the API gets the connecting address', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(chain, { minLength: 1, maxLength: 3 }), spoof, async (xff, other) => {
        await send(`${toEcho.origin}/api/graphql`, {
          headers: {
            'x-forwarded-for': xff, // one header line per element: repeated headers too
            forwarded: `for="${other}"`,
            'x-real-ip': other,
          },
        });
        const seen = echo.received.at(-1)!.headers;
        expect(seen['x-forwarded-for']).toBe('127.0.0.1');
        expect(seen['forwarded']).toBeUndefined();
        expect(seen['x-real-ip']).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });

  it('T57 a client cannot smuggle its X-Forwarded-For past the proxy by naming it in Connection', async () => {
    const { status } = await rawExchange(
      toEcho.port,
      'POST /api/graphql HTTP/1.1\r\nHost: localhost\r\nConnection: close, X-Forwarded-For\r\n' +
        'X-Forwarded-For: 203.0.113.66\r\nContent-Length: 0\r\n\r\n',
    );
    expect(status).toBe(200);
    expect(echo.received.at(-1)!.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('T57 behind a proxy named in WEB_TRUSTED_PROXIES: the address that proxy saw, never a hop the client wrote', async () => {
    const behindProxy = await startWeb(echo.origin, { trustedProxies: new Set(['127.0.0.1']) });
    const cases: [string, string][] = [
      ['198.51.100.7, 203.0.113.9', '203.0.113.9'], // the client wrote 198.51.100.7; our proxy saw 203.0.113.9
      ['203.0.113.9, 127.0.0.1', '203.0.113.9'], // trusted hops are skipped
      ['::ffff:203.0.113.9', '203.0.113.9'],
      ['2001:db8::1', '2001:db8::1'],
      ['198.51.100.7, not-an-address', '127.0.0.1'], // garbage from the proxy side → the peer, not a guess
      ['', '127.0.0.1'],
    ];
    for (const [sent, expected] of cases) {
      await send(`${behindProxy.origin}/api/graphql`, { headers: sent ? { 'x-forwarded-for': sent } : {} });
      expect(echo.received.at(-1)!.headers['x-forwarded-for'], sent).toBe(expected);
    }
  });
});

describe('Host header (issue 10, finding 9)', () => {
  const malformed = [
    'a b',
    'a\tb',
    'evil.example/path',
    'user@evil.example',
    'evil.example?x',
    'evil.example#x',
    '[::1',
    '::1',
    ':80',
    'localhost:99999',
    'localhost:http',
    '%6cocalhost',
    'local"host',
    '-leading-dash',
    '',
  ];

  it.each(malformed)('a malformed Host %j is answered 400, with no stack trace, on pages and the API path', async (host) => {
    for (const path of ['/notes', '/api/graphql']) {
      const { status, response } = await rawExchange(toEcho.port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(status, `${path} Host: ${host}`).toBe(400);
      expect(response).not.toMatch(/TypeError|Error:|\n\s+at |node:|\/work\//);
    }
  });

  it('T32 a request target that is not a path (absolute-form, asterisk-form) is answered 400, never a redirect off the site, and reaches neither the pages nor the API', async () => {
    // RFC 9112 §3.2: an origin server is sent origin-form ("/path?query"). Next.js answered the
    // absolute-form "GET http://evil.example/ HTTP/1.1" with a cacheable 308 to http://evil.example/
    // (an open redirect for any cache in between), and "OPTIONS *" with a 500.
    const targets = [
      'http://evil.example/',
      'http://evil.example/notes',
      'https://evil.example/api/graphql',
      `http://127.0.0.1:${toEcho.port}/notes`,
      'HTTP://evil.example/signin?next=/',
      '*',
      'evil.example:443',
    ];
    const methods = ['GET', 'OPTIONS', 'POST'];
    for (const target of targets) {
      for (const method of methods) {
        const { status, response } = await rawExchange(
          toEcho.port,
          `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        );
        expect(status, `${method} ${target}`).toBe(400);
        expect(response, `${method} ${target}`).not.toMatch(/evil\.example|\r\n\r\npage$/i);
      }
    }
    await fc.assert(
      fc.asyncProperty(fc.webUrl({ withQueryParameters: true, withFragments: false }), async (url) => {
        const { status } = await rawExchange(toEcho.port, `GET ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
        expect(status, url).toBe(400);
      }),
      { numRuns: 40 },
    );
  });

  it('a request without Host is refused', async () => {
    const { status } = await rawExchange(toEcho.port, 'GET /notes HTTP/1.0\r\n\r\n');
    expect(status).toBe(400);
  });

  it.each(['localhost', 'localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'web_1:3000', 'notes.example.com.'])(
    'a well-formed Host %j is served',
    async (host) => {
      const { status } = await rawExchange(toEcho.port, `GET /notes HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(status).toBe(200);
    },
  );

  it('the API gets its own Host (from API_URL), whatever Host the browser used — even one the web server would refuse', async () => {
    await rawExchange(toEcho.port, 'POST /api/graphql HTTP/1.1\r\nHost: localhost:3000\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    expect(echo.received.at(-1)!.headers.host).toBe(echo.host);
    expect(echo.received.at(-1)!.headers['x-forwarded-host']).toBe('localhost:3000');
    // The proxy on its own, without the web server's Host check in front of it.
    const proxy = createApiProxy(echo.origin, { trustedProxies: new Set() });
    const bare = createServer((req, res) => proxy.web(req, res)).listen(0, '127.0.0.1');
    await once(bare, 'listening');
    try {
      const { status } = await rawExchange(
        (bare.address() as AddressInfo).port,
        'POST /api/graphql HTTP/1.1\r\nHost: a b\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      );
      expect(status).toBe(200);
      expect(echo.received.at(-1)!.headers.host).toBe(echo.host);
    } finally {
      proxy.close();
      bare.closeAllConnections();
      bare.close();
    }
  });
});

describe('upgrades (issue 10, finding 10)', () => {
  const upgrade = (path: string, host = 'localhost') =>
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';

  it.each([
    '/',
    '/notes',
    '/_next/hmr',
    '/_next/webpack-hmr',
    '/api/graphql/',
    '/API/graphql',
    '/api/graphqlx',
    '/api/graphql/../x',
    '//api/graphql',
  ])('an upgrade on %j is answered 400 and the server closes the socket', async (path) => {
    // rawExchange resolves only when the server closes the connection: left open, this times out.
    const { status } = await rawExchange(toEcho.port, upgrade(path));
    expect(status).toBe(400);
  });

  it.each(['/socket', '/_next/static/x', '/api/graphql/'])(
    "in development too, an upgrade on %j (not /api/graphql, not Next.js's hot reload) is closed",
    async (path) => {
      const dev = await startWeb(echo.origin, { dev: true });
      const { status } = await rawExchange(dev.port, upgrade(path));
      expect(status).toBe(400);
    },
  );

  it('an upgrade with a malformed Host is closed', async () => {
    const { status } = await rawExchange(toGraphql.port, upgrade('/api/graphql', 'a b'));
    expect(status).toBe(400);
  });
});

describe('proxy hygiene (issue 10, finding 11)', () => {
  it('API responses are no-store and carry the API security headers; Set-Cookie passes as written', async () => {
    const response = await send(`${toEcho.origin}/api/graphql`);
    expect(response.headers['cache-control']).toBe('no-store'); // the upstream said public, max-age=3600
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; HttpOnly']);
  });

  it('hop-by-hop headers of the API response stay on that hop (RFC 9110 §7.6.1)', async () => {
    const response = await send(`${toEcho.origin}/api/graphql?hop=1`);
    expect(response.status).toBe(200);
    for (const name of ['x-upstream-hop', 'proxy-authenticate', 'proxy-connection', 'trailer', 'upgrade']) {
      expect(response.headers[name], name).toBeUndefined();
    }
    expect(response.headers['keep-alive']).not.toBe('timeout=77, max=3');
    expect(response.headers['connection']).toBe('keep-alive');
  });

  it('hop-by-hop headers of the browser request stay on that hop, and the API connection is kept alive', async () => {
    const { status } = await rawExchange(
      toEcho.port,
      'POST /api/graphql HTTP/1.1\r\nHost: localhost\r\nConnection: close, X-Client-Hop\r\nX-Client-Hop: 1\r\n' +
        'Keep-Alive: 300\r\nTE: trailers\r\nProxy-Authorization: Basic dTpw\r\nProxy-Connection: keep-alive\r\n' +
        'Upgrade: h2c\r\nContent-Length: 0\r\n\r\n',
    );
    expect(status).toBe(200);
    const seen = echo.received.at(-1)!.headers;
    for (const name of ['x-client-hop', 'keep-alive', 'te', 'proxy-authorization', 'proxy-connection', 'upgrade']) {
      expect(seen[name], name).toBeUndefined();
    }
    expect(seen.connection).toBe('keep-alive');
  });

  it('consecutive requests reuse one connection to the API', async () => {
    await send(`${toEcho.origin}/api/graphql`);
    await send(`${toEcho.origin}/api/graphql`);
    const [first, second] = echo.received.slice(-2);
    expect(first!.headers.connection).toBe('keep-alive');
    expect(second!.remotePort).toBe(first!.remotePort);
  });
});

describe('WebSocket', () => {
  it('T57 proxies the graphql-ws upgrade with its cookies to the API path, with the connecting address as X-Forwarded-For', async () => {
    class CookieWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie: '__Host-fingerprint=f0', 'x-forwarded-for': '203.0.113.5' } });
      }
    }
    const client = createClient({
      url: `${toGraphql.origin.replace('http', 'ws')}/api/graphql`,
      webSocketImpl: CookieWebSocket,
      connectionParams: { authorization: 'Bearer t' },
    });
    const values: unknown[] = [];
    for await (const value of client.iterate({ query: 'subscription { noteAdded { id } }' })) {
      values.push(value);
      break;
    }
    await client.dispose();
    expect(values).toEqual([{ data: { noteAdded: { id: 'n-ws' } } }]);
    expect(graphql.wsConnectionParams.at(-1)).toEqual({ authorization: 'Bearer t' });
    expect(graphql.wsUpgradeCookies.at(-1)).toBe('__Host-fingerprint=f0');
    expect(graphql.wsUpgradeForwardedFor.at(-1)).toBe('127.0.0.1');
  });
});
