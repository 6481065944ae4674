// Only two ways to send an operation: GET with a query string (queries only, T25) and POST with a
// JSON body. Yoga also parses `application/graphql`, urlencoded and multipart bodies — the
// encodings an HTML form or a "simple" cross-site request can produce without a CORS preflight
// (OWASP CSRF Prevention CS; T24, T56). Multipart parsing is switched off in createYoga
// (`multipart: false`); the other parsers cannot be removed, so this hook, which runs after
// Yoga's own parser selection, refuses any POST that is not JSON before a parser reads its body.
// The CSRF check in front refuses the same requests; this one holds even without it.
import { ErrorCode } from '@app/shared';
import type { Plugin } from 'graphql-yoga';

/**
 * A JSON body spelled the way Yoga's JSON parser recognises it (`application/json`, optionally
 * followed by `;` parameters, in lower case). Other spellings of the same media type (`Application/JSON`,
 * `application/json ;charset=…`) are valid HTTP but Yoga would answer them with an empty 415: they
 * get our 415 with a message instead, and the client learns what to send.
 */
const isParsedAsJson = (request: Request) => {
  const header = request.headers.get('content-type') ?? '';
  return header === 'application/json' || header.startsWith('application/json;');
};

export function useJsonOrGetRequestsOnly(): Plugin {
  return {
    onRequestParse({ request, endResponse, fetchAPI }) {
      if (request.method === 'GET' || isParsedAsJson(request)) return;
      endResponse(
        fetchAPI.Response.json(
          {
            errors: [
              {
                message: 'Send GraphQL requests as GET or as POST with a JSON body (Content-Type: application/json)',
                extensions: { code: ErrorCode.BAD_USER_INPUT },
              },
            ],
          },
          { status: 415 },
        ),
      );
    },
  };
}
