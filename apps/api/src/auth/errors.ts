// The auth core's failures: plain errors with one of the contract's codes, no transport in sight.
// plugins/error-codes.ts turns them into the contract's GraphQL errors (code + HTTP status) at the
// edge. Messages are deliberately generic for authentication failures: the client learns *that*
// it failed, not which check failed (OWASP Authentication CS, "Authentication and Error Messages").
import { ErrorCode } from '@app/shared';

/** The codes the auth core raises (a subset of the contract's). */
export type AuthErrorCode = typeof ErrorCode.UNAUTHENTICATED | typeof ErrorCode.BAD_USER_INPUT | typeof ErrorCode.RATE_LIMITED;

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    /** For RATE_LIMITED: when to try again (the edge sends it as Retry-After, RFC 9110 §10.2.3). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const isAuthError = (error: unknown): error is AuthError => error instanceof AuthError;

export const unauthenticated = (message = 'Not authenticated') => new AuthError(ErrorCode.UNAUTHENTICATED, message);
export const badUserInput = (message: string) => new AuthError(ErrorCode.BAD_USER_INPUT, message);
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AuthError(ErrorCode.RATE_LIMITED, message, retryAfterSeconds);
