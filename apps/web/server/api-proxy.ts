// /api/graphql → ${API_URL}/graphql, for HTTP requests and WebSocket upgrades (graphql-ws).
//
// WHY a proxy: the browser must see one origin. The __Host- cookies are bound to the web host, so
// only requests to that host carry them; through the proxy they reach the API as sent, and the API's
// Set-Cookie reaches the browser as written. Nothing is rewritten: not Cookie, not Set-Cookie (no
// domain/path rewriting), not the CSRF header — the API makes every security decision itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';

export const BROWSER_GRAPHQL_PATH = '/api/graphql';
const API_GRAPHQL_PATH = '/graphql';

/** True for /api/graphql (with or without a query string), and nothing else. */
export function isGraphqlPath(url: string | undefined): boolean {
  if (!url) return false;
  const path = url.split('?', 1)[0];
  return path === BROWSER_GRAPHQL_PATH;
}

/** /api/graphql?x → /graphql?x */
export function toApiPath(url: string): string {
  return API_GRAPHQL_PATH + url.slice(BROWSER_GRAPHQL_PATH.length);
}

const BAD_GATEWAY_BODY = JSON.stringify({
  errors: [{ message: 'The API is unavailable', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
});

export function createApiProxy(apiOrigin: string) {
  const proxy = createProxyServer({
    target: apiOrigin,
    // Tell the API who the client is (X-Forwarded-For/-Proto/-Host); trusting them is its decision.
    xfwd: true,
    // Keep the browser's Host header: the API sees the origin the browser used.
    changeOrigin: false,
    proxyTimeout: 30_000,
  });

  proxy.on('error', (_error: Error, _req: IncomingMessage, target: ServerResponse | Duplex) => {
    if ('writeHead' in target) {
      if (!target.headersSent) {
        target.writeHead(502, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      }
      target.end(BAD_GATEWAY_BODY);
    } else {
      target.destroy();
    }
  });

  return {
    web(req: IncomingMessage, res: ServerResponse): void {
      req.url = toApiPath(req.url ?? BROWSER_GRAPHQL_PATH);
      void proxy.web(req, res);
    },
    ws(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      req.url = toApiPath(req.url ?? BROWSER_GRAPHQL_PATH);
      void proxy.ws(req, socket, head);
    },
    close(): void {
      proxy.close();
    },
  };
}
