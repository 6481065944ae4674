// The web server's environment, read in ONE place and once per process: the custom server
// (server/main.ts) and the server-side rendering code (./ssr/) both take their settings from here.
// Read when the process starts (not at build time: Next.js inlines only NEXT_PUBLIC_* variables),
// so `API_URL` and the rest take effect at `pnpm start`. Server-side only: the browser reaches
// GraphQL on its own origin (./config.ts) and never needs any of this.
//
// A bad value stops the process at start with a message naming the variable, rather than at the
// first request that needs it. Names and defaults: docs/api-contract.md.
import { z } from 'zod';
import { canonicalAddress, isIpAddress } from './ssr/forwarded-headers.ts';

export const DEFAULT_API_URL = 'http://127.0.0.1:4000';
export const DEFAULT_SSR_API_TIMEOUT_MS = 5000;

export type WebConfig = {
  /** NODE_ENV !== 'production': Next.js in development mode. */
  readonly dev: boolean;
  /** PORT (default 3000). */
  readonly port: number;
  /** HOST: interface to bind; unset = all (IPv4 and IPv6), like `next start`. */
  readonly host: string | undefined;
  /** API_URL's origin, e.g. http://127.0.0.1:4000: where SSR and the proxy reach the API. */
  readonly apiOrigin: string;
  /** `${apiOrigin}/graphql`, for server-side GraphQL requests. */
  readonly apiGraphqlUrl: string;
  /**
   * TRUST_PROXY: believe `X-Forwarded-Proto` (only behind a TLS-terminating proxy you run). Decides
   * HSTS: a client must not be able to switch it by sending the header itself.
   */
  readonly trustProxy: boolean;
  /**
   * WEB_TRUSTED_PROXIES: addresses of proxies in front of this server whose X-Forwarded-For is
   * believed. Empty (the default) = the web server faces the clients: the TCP peer is the client.
   */
  readonly trustedProxies: ReadonlySet<string>;
  /** SSR_API_TIMEOUT_MS: the budget for all of one page render's API calls (./ssr/api-deadline.ts). */
  readonly ssrApiTimeoutMs: number;
};

const unset = (value: string | undefined) => value === undefined || value.trim() === '';

const env = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z
    .string()
    .optional()
    .transform((v) => (unset(v) ? '3000' : v!.trim()))
    .pipe(
      z.coerce
        .number<string>({ error: 'must be an integer 0–65535' })
        .int('must be an integer 0–65535')
        .min(0, 'must be an integer 0–65535')
        .max(65535, 'must be an integer 0–65535'),
    ),
  HOST: z
    .string()
    .optional()
    .transform((v) => (unset(v) ? undefined : v!.trim())),
  API_URL: z
    .string()
    .optional()
    .transform((v) => (unset(v) ? DEFAULT_API_URL : v!.trim()))
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))
    .transform((v) => new URL(v).origin),
  TRUST_PROXY: z
    .enum(['', 'true', '1', 'false', '0'], { error: 'must be true, 1, false or 0' })
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  WEB_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().refine(isIpAddress, 'must be a comma-separated list of IP addresses')))
    .transform((list) => new Set(list.map(canonicalAddress)) as ReadonlySet<string>),
  SSR_API_TIMEOUT_MS: z
    .string()
    .optional()
    .transform((v) => (unset(v) ? String(DEFAULT_SSR_API_TIMEOUT_MS) : v!.trim()))
    .pipe(
      z.coerce
        .number<string>({ error: 'must be a positive integer' })
        .int('must be a positive integer')
        .positive('must be a positive integer'),
    ),
});

/** Parse an environment. Throws one Error naming every bad variable and its value. */
export function parseWebConfig(source: Record<string, string | undefined>): WebConfig {
  const result = env.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name} ${issue.message} (got ${JSON.stringify(source[name])})`;
    });
    throw new Error(`Invalid web server configuration: ${problems.join('; ')}`);
  }
  const e = result.data;
  return {
    dev: e.NODE_ENV !== 'production',
    port: e.PORT,
    host: e.HOST,
    apiOrigin: e.API_URL,
    apiGraphqlUrl: `${e.API_URL}/graphql`,
    trustProxy: e.TRUST_PROXY,
    trustedProxies: e.WEB_TRUSTED_PROXIES,
    ssrApiTimeoutMs: e.SSR_API_TIMEOUT_MS,
  };
}

/** This process's configuration, read from its environment when this module is first loaded. */
export const webConfig: WebConfig = parseWebConfig(process.env);
