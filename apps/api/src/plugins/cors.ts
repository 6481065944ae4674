// CORS for the API's own origin allow-list (OWASP HTML5 Security CS, "CORS"; THREATS T26).
// The browser normally talks to the web origin's proxy (same origin, no CORS at all); this only
// matters for direct cross-origin calls. An origin that is not on the list gets NO CORS headers —
// in particular never `Access-Control-Allow-Origin: null`, which a sandboxed iframe's `Origin: null`
// would match, together with credentials.
import { CSRF_HEADER } from '@app/shared';
import type { CORSOptions } from 'graphql-yoga';

export function corsFor(allowedOrigins: string[]): (request: Request) => CORSOptions {
  const allowed = new Set(allowedOrigins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false;
    return {
      origin: [origin],
      credentials: true,
      methods: ['POST', 'GET', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', CSRF_HEADER],
      maxAge: 600,
    };
  };
}
