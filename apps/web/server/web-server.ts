// The web server's routing, one origin for the browser:
//
//   malformed Host                   → 400, before anything parses it       (./host-header.ts)
//   a request target that is no path → 400 (absolute-form, asterisk-form)
//   /api/graphql (HTTP + WebSocket)  → proxied to the API                    (./api-proxy.ts)
//   other WebSocket upgrades         → refused and closed (only dev's hot reload is left to Next.js)
//   everything else                  → Next.js, with security headers        (./security-headers.ts)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { NONCE_HEADER } from '../src/lib/nonce-header.js';
import { isGraphqlPath, type ApiProxy } from './api-proxy.js';
import { isValidHostHeader } from './host-header.js';
import { createNonce, securityHeaders } from './security-headers.js';

export type WebServerOptions = {
  dev: boolean;
  /** Believe `X-Forwarded-Proto: https` (TRUST_PROXY). */
  trustProxy: boolean;
  apiProxy: ApiProxy;
  /** Next.js's request handler. */
  handlePage: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
};

const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/** Answer 400 on a socket that has left HTTP (an upgrade) and make sure it goes away. */
function refuseUpgrade(socket: Duplex): void {
  socket.on('error', () => undefined);
  // WHY destroy, not just end: after an upgrade request Node's header and request timeouts no longer
  // apply to the socket; a client that never closes its side would keep it (and a file descriptor)
  // open forever.
  socket.end(BAD_REQUEST, () => socket.destroy());
}

/**
 * In dev, Next.js serves its hot-reload WebSocket (`/_next/hmr`, older versions `/_next/webpack-hmr`)
 * from an upgrade listener it attaches to this server itself. `next start` has no upgrade endpoint
 * of its own (its upgrade handler only proxies rewrites to external URLs, which this app has none of).
 */
/**
 * RFC 9112 §3.2: an origin server is sent the origin-form, "/path?query". We are not a proxy:
 * given the absolute-form ("GET http://evil.example/ HTTP/1.1"), Next.js answered with a
 * cacheable 308 to that foreign URL, and the asterisk-form ("OPTIONS *") with a 500.
 */
function isOriginForm(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('/');
}

function isNextDevUpgrade(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith('/_next/hmr') || url.startsWith('/_next/webpack-hmr'));
}

export function createWebServer(options: WebServerOptions): Server {
  const isHttps = (req: IncomingMessage) =>
    Boolean((req.socket as TLSSocket).encrypted) || (options.trustProxy && req.headers['x-forwarded-proto'] === 'https');

  const server = createServer((req, res) => {
    if (!isValidHostHeader(req.headers.host)) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end('Bad Request: malformed Host header\n');
      return;
    }
    if (!isOriginForm(req.url)) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end('Bad Request: the request target must be a path\n');
      return;
    }
    if (isGraphqlPath(req.url)) {
      options.apiProxy.web(req, res);
      return;
    }
    const nonce = createNonce();
    // Overwrites anything the client sent under this name: the nonce is ours alone.
    req.headers[NONCE_HEADER] = nonce;
    // Before handle(): Next starts writing inside it, and later setHeader calls would be lost.
    for (const [name, value] of Object.entries(securityHeaders({ nonce, dev: options.dev, https: isHttps(req) }))) {
      res.setHeader(name, value);
    }
    void options.handlePage(req, res);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!isValidHostHeader(req.headers.host) || !isOriginForm(req.url)) return refuseUpgrade(socket);
    if (isGraphqlPath(req.url)) return options.apiProxy.ws(req, socket, head);
    if (options.dev && isNextDevUpgrade(req.url)) return; // Next.js's own listener answers it
    refuseUpgrade(socket);
  });

  return server;
}
