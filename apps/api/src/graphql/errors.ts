// The contract's GraphQL errors: one per failure kind, each with its code and HTTP status
// (docs/api-contract.md, "Errors"). The auth core raises plain AuthErrors instead; they become
// these in plugins/error-codes.ts.
import { ErrorCode } from '@app/shared';
import { GraphQLError } from 'graphql';

const status: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

/** The HTTP extension for a contract code. RFC 6750 §3: a 401 for a bearer-protected resource names the scheme. */
export function contractHttp(code: ErrorCode, headers?: Record<string, string>) {
  const all = code === ErrorCode.UNAUTHENTICATED ? { 'WWW-Authenticate': 'Bearer error="invalid_token"', ...headers } : headers;
  return { status: status[code], ...(all ? { headers: all } : {}) };
}

export function contractError(code: ErrorCode, message: string, headers?: Record<string, string>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: contractHttp(code, headers) } });
}

export const unauthenticated = (message = 'Not authenticated') => contractError(ErrorCode.UNAUTHENTICATED, message);
export const badUserInput = (message: string) => contractError(ErrorCode.BAD_USER_INPUT, message);
export const forbidden = (message = 'Forbidden') => contractError(ErrorCode.FORBIDDEN, message);
