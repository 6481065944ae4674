// CSRF defence for a cookie-authenticated GraphQL endpoint (OWASP CSRF Prevention CS,
// "Custom Request Headers"; docs/api-contract.md). Every POST, whatever its path (T56), must
//  - carry the `x-graphql-yoga-csrf` header: a cross-site page cannot add a custom header
//    without a CORS preflight, which our allow-list refuses;
//  - have a JSON body: HTML forms can only send text/plain, urlencoded or multipart (T24).
// Yoga's stock CSRF plugin lets JSON through without the header, so it alone is not enough.
// Mutations over GET are refused by Yoga itself (405, T25). The rule has no path condition on
// purpose: a rule keyed to one spelling of the path is bypassed by the next (`/graphql/`, T56).
import { CSRF_HEADER, ErrorCode } from '@app/shared';
import type { Plugin } from 'graphql-yoga';

/** The media type of a request body, without parameters, lower-cased (RFC 9110 §8.3.1). */
const mediaTypeOf = (request: Request) => (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** GET (no mutations, T25), HEAD and the CORS preflight carry no body and change nothing. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function useCsrfProtection(): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      // Every method that can carry a body, not only POST: Yoga refuses the others with 405 today,
      // but this rule must not depend on that.
      if (SAFE_METHODS.has(request.method)) return;
      const mediaType = mediaTypeOf(request);
      const reason = !request.headers.has(CSRF_HEADER)
        ? `Missing ${CSRF_HEADER} header`
        : mediaType !== 'application/json'
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
