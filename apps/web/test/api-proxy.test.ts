// The same-origin proxy, against a real upstream: cookies, Set-Cookie and the CSRF header pass
// untouched, the path is mapped, and WebSocket upgrades are proxied with their cookies.
import { REFRESH_COOKIE } from '@app/shared';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiProxy, isGraphqlPath, toApiPath } from '../server/api-proxy';
import { GraphqlTestServer } from './support/graphql-test-server';

let upstream: GraphqlTestServer;
let web: Server;
let webOrigin: string;

beforeAll(async () => {
  upstream = await new GraphqlTestServer().start();
  const proxy = createApiProxy(new URL(upstream.url).origin);
  // The routing of server/main.ts, minus Next.js.
  web = createServer((req, res) => {
    if (isGraphqlPath(req.url)) return proxy.web(req, res);
    res.writeHead(404).end();
  });
  web.on('upgrade', (req, socket, head) => {
    if (isGraphqlPath(req.url)) proxy.ws(req, socket, head);
    else socket.destroy();
  });
  web.listen(0, '127.0.0.1');
  await once(web, 'listening');
  webOrigin = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});

afterAll(async () => {
  web.closeAllConnections();
  await new Promise((r) => web.close(r));
  await upstream.stop();
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
    const response = await fetch(`${webOrigin}/api/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-graphql-yoga-csrf': '1',
        cookie: `${REFRESH_COOKIE}=r0; __Host-fingerprint=f0`,
      },
      body: JSON.stringify({ operationName: 'RefreshAccessToken', query: 'mutation RefreshAccessToken { refreshAccessToken { accessToken } }' }),
    });
    expect(response.status).toBe(200);
    const seen = upstream.requests.at(-1);
    expect(seen?.csrf).toBe('1');
    expect(seen?.cookie).toBe(`${REFRESH_COOKIE}=r0; __Host-fingerprint=f0`);
    expect(response.headers.getSetCookie()).toEqual([
      `${REFRESH_COOKIE}=r1; Path=/; HttpOnly; Secure; SameSite=Strict`,
    ]);
  });

  it('passes the API refusal through (no CSRF header → the API says 403, not the proxy)', async () => {
    const response = await fetch(`${webOrigin}/api/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(403);
  });

  it('answers 502 in the contract error shape when the API is down', async () => {
    const dead = createApiProxy('http://127.0.0.1:1');
    const server = createServer((req, res) => dead.web(req, res)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const response = await fetch(`http://127.0.0.1:${port}/api/graphql`, { method: 'POST' });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    server.close();
  });
});

describe('WebSocket', () => {
  it('proxies the graphql-ws upgrade with its cookies to the API path', async () => {
    class CookieWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie: '__Host-fingerprint=f0' } });
      }
    }
    const client = createClient({
      url: `${webOrigin.replace('http', 'ws')}/api/graphql`,
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
    expect(upstream.wsConnectionParams.at(-1)).toEqual({ authorization: 'Bearer t' });
    expect(upstream.wsUpgradeCookies.at(-1)).toBe('__Host-fingerprint=f0');
  });
});
