// Bounds request bodies before anything reads them (OWASP GraphQL CS, "Denial of service";
// THREATS T39): a declared length over the limit is refused with 413 before the body is read,
// and a POST without Content-Length (chunked, length unknown) with 411. Node's HTTP parser never
// hands us more bytes than Content-Length declares.
import { ErrorCode } from '@app/shared';
import type { Plugin } from 'graphql-yoga';

export function useBodyLimit(options: { maxBytes: number }): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const declared = Number(request.headers.get('content-length') ?? 'NaN');
      if (!Number.isFinite(declared) || declared > options.maxBytes) {
        const tooLarge = Number.isFinite(declared);
        endResponse(
          fetchAPI.Response.json(
            {
              errors: [
                {
                  message: tooLarge ? `Request body larger than ${options.maxBytes} bytes` : 'Content-Length required',
                  extensions: { code: ErrorCode.BAD_USER_INPUT },
                },
              ],
            },
            { status: tooLarge ? 413 : 411 },
          ),
        );
      }
    },
  };
}
