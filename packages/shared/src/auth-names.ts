// Names shared by the API, the web app and the tests. Values the contract fixes are marked so.

/** Opaque refresh token. `__Host-` forces Secure, Path=/ and no Domain (RFC 6265bis §4.1.3.2). */
export const REFRESH_COOKIE = '__Host-refresh';
/** Random fingerprint whose SHA-256 is the `fgp` claim (OWASP JWT Cheat Sheet, "Token Sidejacking"). */
export const FINGERPRINT_COOKIE = '__Host-fingerprint';

/** Contract: every POST must carry this header (any value). */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** Claim holding SHA-256 (base64url) of the fingerprint cookie's value. */
export const FINGERPRINT_CLAIM = 'fgp';
/** Claim holding the session id, used for immediate revocation. */
export const SESSION_CLAIM = 'sid';
/** Contract: Hasura-compatible claims live under this namespace. */
export const HASURA_CLAIMS = 'https://hasura.io/jwt/claims';

/** Contract: the error codes of `errors[].extensions.code`. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Contract: WebSocket close codes for subscriptions. */
export const WS_CLOSE_UNAUTHENTICATED = 4401;
export const WS_CLOSE_FORBIDDEN = 4403;
