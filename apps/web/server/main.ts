// The web server process: Next.js and the API proxy behind one origin (routing in ./web-server.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nextModule from 'next';
import { webConfig as config } from '../src/lib/web-config.js';
import { createApiProxy } from './api-proxy.js';
import { createWebServer } from './web-server.js';

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

const app = createNextServer({ dev: config.dev, dir: findAppDir(), port: config.port });
const handle = app.getRequestHandler();
await app.prepare();
const apiProxy = createApiProxy(config.apiOrigin, {
  trustedProxies: config.trustedProxies,
  trustProxyProto: config.trustProxy,
});

const server = createWebServer({
  dev: config.dev,
  trustProxy: config.trustProxy,
  apiProxy,
  handlePage: (req, res) => handle(req, res),
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
