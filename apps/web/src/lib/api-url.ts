// Contract: `API_URL` (web only, default http://127.0.0.1:4000) is where the web server reaches the
// API, for SSR and for the proxy. Read when called, never inlined at build time, so that it takes
// effect at `pnpm start`. Server-side only: the browser always talks to its own origin.
export const DEFAULT_API_URL = 'http://127.0.0.1:4000';

export function apiUrl(env: Record<string, string | undefined> = process.env): string {
  const raw = env['API_URL']?.trim() || DEFAULT_API_URL;
  const url = new URL(raw); // throws on a malformed value: fail at start, not on the first request
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`API_URL must be an http(s) URL, got ${raw}`);
  }
  return url.origin;
}

/** The API's GraphQL endpoint, for server-side requests. */
export function apiGraphqlUrl(env?: Record<string, string | undefined>): string {
  return `${apiUrl(env)}/graphql`;
}
