// Only two ways to send an operation: GET with a query string (queries only, T25) and POST with a
// JSON body. Yoga also parses `application/graphql`, urlencoded and multipart bodies — the
// encodings an HTML form or a "simple" cross-site request can produce without a CORS preflight
// (OWASP CSRF Prevention CS; T24, T56). Multipart parsing is switched off in createYoga
// (`multipart: false`); the other parsers cannot be removed, so this hook, which runs after
// Yoga's own parser selection, refuses any POST that is not JSON before a parser reads its body.
// The CSRF check in front refuses the same requests; this one holds even without it.
import { ErrorCode } from '@app/shared';
import type { Plugin } from 'graphql-yoga';
import { mediaTypeOf } from './csrf.js';

export function useJsonOrGetRequestsOnly(): Plugin {
  return {
    onRequestParse({ request, endResponse, fetchAPI }) {
      if (request.method === 'GET' || mediaTypeOf(request) === 'application/json') return;
      endResponse(
        fetchAPI.Response.json(
          { errors: [{ message: 'Send GraphQL requests as GET or as POST with a JSON body', extensions: { code: ErrorCode.BAD_USER_INPUT } }] },
          { status: 415 },
        ),
      );
    },
  };
}
