// The web server: one origin for the browser.
//
//   /api/graphql (HTTP + WebSocket)  → proxied to the API             (./api-proxy.ts)
//   everything else                  → Next.js, with security headers (./security-headers.ts)
import { createServer, type IncomingMessage } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import nextModule from 'next';
import { NONCE_HEADER } from '../src/lib/nonce-header.js';
import { createApiProxy, isGraphqlPath } from './api-proxy.js';
import { loadServerConfig } from './config.js';
import { createNonce, securityHeaders } from './security-headers.js';

/** apps/web, whether we run from server/ (tsx) or dist/server/ (compiled). */
function findAppDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'next.config.ts'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('next.config.ts not found above the server');
    dir = parent;
  }
  return dir;
}

// `next` is CommonJS: at run time the default import is createServer itself, while its type
// declarations describe it as `.default` — this line reconciles the two.
const createNextServer = nextModule as unknown as typeof nextModule.default;

const config = loadServerConfig();
const app = createNextServer({ dev: config.dev, dir: findAppDir(), port: config.port });
const handle = app.getRequestHandler();
await app.prepare();
const apiProxy = createApiProxy(config.apiOrigin);

function isHttps(req: IncomingMessage): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  return config.trustProxy && req.headers['x-forwarded-proto'] === 'https';
}

const server = createServer((req, res) => {
  if (isGraphqlPath(req.url)) {
    apiProxy.web(req, res);
    return;
  }
  const nonce = createNonce();
  // Overwrites anything the client sent under this name: the nonce is ours alone.
  req.headers[NONCE_HEADER] = nonce;
  // Before handle(): Next starts writing inside it, and later setHeader calls would be lost.
  for (const [name, value] of Object.entries(securityHeaders({ nonce, dev: config.dev, https: isHttps(req) }))) {
    res.setHeader(name, value);
  }
  void handle(req, res);
});

// graphql-ws upgrades go to the API. Other upgrades (the dev server's hot-reload socket) are left to
// the listener Next.js attaches to this server itself.
server.on('upgrade', (req, socket, head) => {
  if (isGraphqlPath(req.url)) apiProxy.ws(req, socket, head);
});

server.listen(config.port, config.host, () => {
  const where = config.host ?? 'localhost';
  const mode = config.dev ? 'development' : 'production';
  process.stdout.write(`> web on http://${where}:${config.port} (${mode}), API at ${config.apiOrigin}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    apiProxy.close();
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
