// /api/graphql → ${API_URL}/graphql, for HTTP requests and WebSocket upgrades (graphql-ws).
//
// WHY a proxy: the browser must see one origin. The __Host- cookies are bound to the web host, so
// only requests to that host carry them; through the proxy they reach the API as sent, and the API's
// Set-Cookie reaches the browser as written. Cookie, Set-Cookie (no domain/path rewriting) and the
// CSRF header pass untouched — the API makes every security decision itself. What the proxy does
// decide, because only it knows:
//   - who the client is: X-Forwarded-For is SET to the connecting address (../src/lib/ssr/forwarded-headers.ts;
//     THREATS T57), never appended to what the client sent;
//   - the Host the API sees: the API's own (from API_URL), never the browser's, which may be malformed;
//   - hop-by-hop headers stay on their hop, both ways (./hop-by-hop.ts; RFC 9110 §7.6.1);
//   - API responses carry tokens: no-store and the API security headers (./security-headers.ts).
import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { createProxyServer } from 'http-proxy-3';
import { clientAddress } from '../src/lib/ssr/forwarded-headers.js';
import { IDLE_SOCKET_TIMEOUT_MS } from '../src/lib/ssr/api-fetch.js';
import { withoutHopByHop } from './hop-by-hop.js';
import { apiResponseHeaders } from './security-headers.js';

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

/** Headers a client may send to claim where a request came from; only the proxy sets these. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip'];

export type ApiProxyOptions = {
  /** Addresses of proxies in front of the web server whose X-Forwarded-For is believed (WEB_TRUSTED_PROXIES). */
  trustedProxies: ReadonlySet<string>;
  /** Believe X-Forwarded-Proto: https from the client side (TRUST_PROXY). */
  trustProxyProto?: boolean;
};

export type ApiProxy = {
  web(req: IncomingMessage, res: ServerResponse): void;
  ws(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
};

export function createApiProxy(apiOrigin: string, options: ApiProxyOptions): ApiProxy {
  const secure = new URL(apiOrigin).protocol === 'https:';
  // One pool of kept-alive connections to the API instead of a new TCP (and TLS) handshake per request,
  // each dropped when idle before the API's keep-alive timeout would close it under a request (a 502
  // for no reason): see IDLE_SOCKET_TIMEOUT_MS in src/lib/ssr/api-fetch.ts.
  const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_TIMEOUT_MS };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const proxy = createProxyServer({
    target: apiOrigin,
    agent,
    // We set the X-Forwarded-* headers ourselves (below): the library's xfwd APPENDS to the client's.
    xfwd: false,
    // Host: the API's own host, from API_URL. The browser's Host is about the web server.
    changeOrigin: true,
    proxyTimeout: 30_000,
    // The response is written by onProxyResponse, so that its headers are exactly the ones we choose.
    selfHandleResponse: true,
  });

  const isHttps = (req: IncomingMessage) =>
    Boolean((req.socket as TLSSocket).encrypted) || (options.trustProxyProto === true && req.headers['x-forwarded-proto'] === 'https');

  /** The request headers the API receives. */
  function upstreamHeaders(req: IncomingMessage): OutgoingHttpHeaders {
    const headers = withoutHopByHop(req.headers);
    for (const name of FORWARDING_HEADERS) delete headers[name];
    const address = clientAddress(req, options.trustedProxies);
    if (address) headers['x-forwarded-for'] = address;
    if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
    headers['x-forwarded-proto'] = isHttps(req) ? 'https' : 'http';
    return headers;
  }

  proxy.on('proxyRes', (proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse) => {
    const headers = withoutHopByHop(proxyRes.headers);
    res.statusCode = proxyRes.statusCode ?? 502;
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) res.setHeader(name, value);
    }
    for (const [name, value] of Object.entries(apiResponseHeaders({ https: isHttps(req) }))) {
      res.setHeader(name, value);
    }
    proxyRes.on('error', () => res.destroy());
    proxyRes.pipe(res);
  });

  proxy.on('error', (_error: Error, req: IncomingMessage, target: ServerResponse | Duplex) => {
    if ('writeHead' in target) {
      if (!target.headersSent) {
        target.writeHead(502, {
          ...apiResponseHeaders({ https: isHttps(req) }),
          'content-type': 'application/json',
        });
        target.end(BAD_GATEWAY_BODY);
      } else {
        target.destroy();
      }
    } else {
      target.destroy();
    }
  });

  return {
    web(req, res) {
      req.url = toApiPath(req.url ?? BROWSER_GRAPHQL_PATH);
      req.headers = upstreamHeaders(req) as IncomingMessage['headers'];
      void proxy.web(req, res);
    },
    ws(req, socket, head) {
      const upgrade = req.headers.upgrade;
      req.url = toApiPath(req.url ?? BROWSER_GRAPHQL_PATH);
      req.headers = upstreamHeaders(req) as IncomingMessage['headers'];
      // The one hop-by-hop pair that must reach the API: the WebSocket handshake (RFC 6455 §4.1).
      if (upgrade?.toLowerCase() === 'websocket') {
        req.headers.connection = 'Upgrade';
        req.headers.upgrade = 'websocket';
      }
      void proxy.ws(req, socket, head);
    },
    close() {
      proxy.close();
      agent.destroy();
    },
  };
}
