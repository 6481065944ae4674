// Bounds request bodies before anything reads them (OWASP GraphQL CS, "Denial of service";
// THREATS T39): a declared length over the limit is refused with 413 before the body is read,
// and a POST without Content-Length (chunked, length unknown) with 411. Node's HTTP parser never
// hands us more bytes than Content-Length declares, and refuses a request that carries both
// Content-Length and Transfer-Encoding (request smuggling) before we see it.
//
// That is why this check replaces Yoga's own body limit (`maxRequestBodySize: false` in
// server.ts): Yoga's re-checks the header (25 MB) and then counts the body's bytes through a
// TransformStream piped with node:stream's `pipeline`, which costs an AbortController and a
// DOMException per request (~15 % of the request path's CPU, issue 12). Every POST that gets past
// this hook declared a length ≤ the limit, so that count could never exceed it. Yoga's header
// check applied to every method: so does ours (a stricter limit).
import { ErrorCode } from '@app/shared';
import type { Plugin } from 'graphql-yoga';

/** RFC 9110 §8.6: Content-Length is 1*DIGIT (a list, a sign or a hex form is not a length). */
const CONTENT_LENGTH = /^\d+$/;

export function useBodyLimit(options: { maxBytes: number }): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const header = request.headers.get('content-length');
      // No declared length: only a POST reaches a body parser (GET bodies are never read).
      if (header === null && request.method !== 'POST') return;
      const declared = header !== null && CONTENT_LENGTH.test(header) ? Number(header) : NaN;
      if (declared <= options.maxBytes) return;
      const tooLarge = Number.isFinite(declared);
      endResponse(
        fetchAPI.Response.json(
          {
            errors: [
              {
                message: tooLarge
                  ? `Request body larger than ${options.maxBytes} bytes`
                  : header === null
                    ? 'Content-Length required'
                    : 'Invalid Content-Length',
                extensions: { code: ErrorCode.BAD_USER_INPUT },
              },
            ],
          },
          { status: tooLarge ? 413 : header === null ? 411 : 400 },
        ),
      );
    },
  };
}
