// CSRF defence for a cookie-authenticated GraphQL endpoint (OWASP CSRF Prevention CS,
// "Custom Request Headers"; docs/api-contract.md). Every POST must
//  - carry the `x-graphql-yoga-csrf` header: a cross-site page cannot add a custom header
//    without a CORS preflight, which our allow-list refuses;
//  - have a JSON body: HTML forms can only send text/plain, urlencoded or multipart (T24).
// Yoga's stock CSRF plugin lets JSON through without the header, so it alone is not enough.
// Mutations over GET are refused by Yoga itself (405, T25).
import { CSRF_HEADER, ErrorCode } from '@app/shared';
import type { Plugin } from 'graphql-yoga';

const JSON_TYPES = new Set(['application/json', 'application/graphql-response+json']);

export function useCsrfProtection(options: { graphqlPath: string }): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== options.graphqlPath || request.method !== 'POST') return;
      const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const reason = !request.headers.has(CSRF_HEADER)
        ? `Missing ${CSRF_HEADER} header`
        : !JSON_TYPES.has(mediaType)
          ? 'Requests must have a JSON body'
          : null;
      if (!reason) return;
      endResponse(
        fetchAPI.Response.json(
          { errors: [{ message: `CSRF check failed: ${reason}`, extensions: { code: ErrorCode.FORBIDDEN } }] },
          { status: 403 },
        ),
      );
    },
  };
}
