// One error per failure kind, with the contract's codes and HTTP statuses.
// Messages are deliberately generic for authentication failures: the client learns
// *that* it failed, not which check failed (OWASP Authentication CS, "Authentication and Error Messages").
import { ErrorCode } from '@app/shared';
import { GraphQLError } from 'graphql';

const status: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

export function contractError(code: ErrorCode, message: string, headers?: Record<string, string>): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, http: { status: status[code], ...(headers ? { headers } : {}) } },
  });
}

/** RFC 6750 §3: a 401 for a bearer-protected resource names the scheme. */
export const unauthenticated = (message = 'Not authenticated') =>
  contractError(ErrorCode.UNAUTHENTICATED, message, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });

export const badUserInput = (message: string) => contractError(ErrorCode.BAD_USER_INPUT, message);
export const forbidden = (message = 'Forbidden') => contractError(ErrorCode.FORBIDDEN, message);
