// Liveness, readiness and the public signing keys, answered before GraphQL sees the request.
// Ready = the database answers AND (with several instances) this one is listening for the
// others' revocations: an instance that could miss a sign-out must not get traffic (T48,
// docs/decisions/0010).
import type { Plugin } from 'graphql-yoga';
import type { JWK } from 'jose';

export const HEALTH_AND_KEYS_PATHS = ['/healthz', '/readyz', '/.well-known/jwks.json'] as const;

export function useHealthAndKeys(deps: {
  isDatabaseReachable: () => Promise<boolean>;
  isListening?: () => boolean;
  publicJwks: { keys: JWK[] };
}): Plugin {
  const jwksBody = JSON.stringify(deps.publicJwks);
  return {
    // Synchronous: every request passes this hook, and an async one would hand Yoga a promise for
    // each (only /readyz waits, for the database).
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      switch (url.pathname) {
        case '/healthz':
          return endResponse(fetchAPI.Response.json({ status: 'ok' }));
        case '/readyz':
          return deps.isDatabaseReachable().then((reachable) => {
            const status = !reachable
              ? 'database unreachable'
              : deps.isListening && !deps.isListening()
                ? 'not listening for revocations'
                : 'ready';
            endResponse(fetchAPI.Response.json({ status }, { status: status === 'ready' ? 200 : 503 }));
          });
        case '/.well-known/jwks.json':
          return endResponse(
            new fetchAPI.Response(jwksBody, {
              headers: { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' },
            }),
          );
      }
    },
  };
}
