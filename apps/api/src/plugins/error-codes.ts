// Every error that leaves the API carries one of the contract's codes (docs/api-contract.md, "Errors").
//  - errors we raise on purpose already have one; the auth core's plain AuthErrors get their
//    GraphQL shape (code, HTTP status, WWW-Authenticate) here, at the edge;
//  - GraphQL syntax, validation and variable errors are the client's: BAD_USER_INPUT (400);
//  - anything unexpected is masked: INTERNAL_SERVER_ERROR (500), a fixed message, no stack,
//    no SQL (OWASP Error Handling CS; T40). Yoga logs the original (once), never to the client.
// Client errors are annotated in place rather than replaced: Yoga logs every error that maskError
// replaces, and a variable-coercion message can quote the value sent — a password, say.
import { ErrorCode } from '@app/shared';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isAuthError, type AuthError } from '../auth/errors.js';
import { contractError, contractHttp } from '../graphql/errors.js';

const CODES = new Set<string>(Object.values(ErrorCode));
// By name, not instanceof: graphql-js may be loaded twice (ESM and CJS copies) under Yoga.
const isGraphQLError = (e: unknown): e is GraphQLError => e instanceof Error && e.name === 'GraphQLError';
type HttpExtension = { status?: number; headers?: Record<string, string> };
/** A client error keeps a 4xx status Yoga chose (e.g. 405 + Allow for a mutation over GET); otherwise 400. */
function clientErrorHttp(e: GraphQLError): HttpExtension {
  // Deliberately drops Yoga's `spec` flag, which would answer 200 for application/json requests.
  const http = (e.extensions?.http ?? {}) as HttpExtension;
  const status = http.status && http.status >= 400 && http.status < 500 ? http.status : 400;
  return http.headers ? { status, headers: http.headers } : { status };
}

const hasContractCode = (e: GraphQLError) => typeof e.extensions?.code === 'string' && CODES.has(e.extensions.code);

/** The contract's GraphQL error for an auth-core failure raised outside execution (e.g. context building). */
const authErrorHeaders = (error: AuthError) =>
  error.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(error.retryAfterSeconds) };

export const fromAuthError = (error: AuthError): GraphQLError => contractError(error.code, error.message, authErrorHeaders(error));

export function maskError(error: unknown): GraphQLError {
  if (isAuthError(error)) return fromAuthError(error);
  if (isGraphQLError(error)) {
    if (hasContractCode(error)) return error;
    const original = error.originalError;
    // An auth-core failure inside a resolver: annotated in place (keeps its path; Yoga does not log it).
    if (isAuthError(original)) {
      const extensions = error.extensions as Record<string, unknown>;
      extensions.code = original.code;
      extensions.http = contractHttp(original.code, authErrorHeaders(original));
      return error;
    }
    // A GraphQLError with no foreign cause is a request error found by graphql-js or Yoga.
    if (!original || isGraphQLError(original)) {
      const extensions = error.extensions as Record<string, unknown>;
      extensions.code = ErrorCode.BAD_USER_INPUT;
      extensions.http = clientErrorHttp(error);
      return error;
    }
  }
  return new GraphQLError('Internal server error', {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, http: { status: 500 } },
  });
}

/** Request errors that Yoga reports without going through maskError (parse, validation). */
export function useContractErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      if (result.errors.every(hasContractCode)) return;
      setResult({
        ...result,
        errors: result.errors.map((e) =>
          hasContractCode(e)
            ? e
            : new GraphQLError(e.message, {
                nodes: e.nodes,
                positions: e.positions,
                path: e.path,
                extensions: { ...e.extensions, code: ErrorCode.BAD_USER_INPUT, http: clientErrorHttp(e) },
              }),
        ),
      });
    },
  };
}
