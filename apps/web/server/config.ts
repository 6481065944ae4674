// The web server's environment, read once at start. Contract: PORT (default 3000); API_URL (where the
// API is, default http://127.0.0.1:4000) takes effect here at `pnpm start`, not at build time.
import { apiUrl } from '../src/lib/api-url.js';
import { trustedProxies } from '../src/lib/ssr/forwarded-headers.js';

export type ServerConfig = {
  dev: boolean;
  port: number;
  /** Interface to bind; unset = all (IPv4 and IPv6), like `next start`. */
  host: string | undefined;
  /** Origin of the API, e.g. http://127.0.0.1:4000. */
  apiOrigin: string;
  /**
   * Believe `X-Forwarded-Proto` (only behind a TLS-terminating proxy you run). Decides HSTS:
   * a client must not be able to switch it by sending the header itself.
   */
  trustProxy: boolean;
  /**
   * WEB_TRUSTED_PROXIES: addresses of proxies in front of this server whose X-Forwarded-For is
   * believed. Empty (the default) = the web server faces the clients: the TCP peer is the client.
   */
  trustedProxies: ReadonlySet<string>;
};

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer 0–65535, got ${env['PORT']}`);
  }
  return {
    dev: env['NODE_ENV'] !== 'production',
    port,
    host: env['HOST'] || undefined,
    apiOrigin: apiUrl(env),
    trustProxy: env['TRUST_PROXY'] === 'true' || env['TRUST_PROXY'] === '1',
    trustedProxies: trustedProxies(env),
  };
}
