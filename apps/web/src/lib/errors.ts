// Reading the contract's error shape (`errors[].extensions.code`, HTTP status) out of whatever
// Apollo or fetch hands us, and turning it into a sentence a person can act on.
import { ErrorCode } from '@app/shared';
import type { GraphQLFormattedError } from 'graphql';

type MaybeServerError = { statusCode?: unknown; result?: unknown };

function codesOf(errors: ReadonlyArray<GraphQLFormattedError> | undefined): string[] {
  return (errors ?? []).map((e) => String(e.extensions?.['code'] ?? ''));
}

function resultErrors(result: unknown): ReadonlyArray<GraphQLFormattedError> | undefined {
  if (result && typeof result === 'object' && 'errors' in result && Array.isArray(result.errors)) {
    return result.errors as GraphQLFormattedError[];
  }
  return undefined;
}

/**
 * True when the API says "who you are is no longer accepted": UNAUTHENTICATED in the body,
 * or HTTP 401 (Apollo reports non-2xx responses as a network error with `statusCode`).
 */
export function isUnauthenticated(graphQLErrors: ReadonlyArray<GraphQLFormattedError> | undefined, networkError: unknown): boolean {
  if (codesOf(graphQLErrors).includes(ErrorCode.UNAUTHENTICATED)) return true;
  if (networkError && typeof networkError === 'object') {
    const { statusCode, result } = networkError as MaybeServerError;
    if (statusCode === 401) return true;
    if (codesOf(resultErrors(result)).includes(ErrorCode.UNAUTHENTICATED)) return true;
  }
  return false;
}

/** The first error code in an ApolloError-like value (graphQLErrors, or the body of a non-2xx). */
export function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { graphQLErrors?: GraphQLFormattedError[]; networkError?: MaybeServerError };
  return codesOf(e.graphQLErrors)[0] || codesOf(resultErrors(e.networkError?.result))[0] || undefined;
}

function firstMessage(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { graphQLErrors?: GraphQLFormattedError[]; networkError?: MaybeServerError };
  return e.graphQLErrors?.[0]?.message ?? resultErrors(e.networkError?.result)?.[0]?.message;
}

/**
 * What to show a person. BAD_USER_INPUT messages are written by the API for people (e.g. "password
 * too short"), so they are shown verbatim; everything else gets a fixed sentence, because internal
 * messages are masked anyway (THREATS T40) and auth failures must not hint at which part was wrong
 * (T41: unknown email and wrong password read the same).
 */
export function userMessage(error: unknown): string {
  switch (errorCode(error)) {
    case ErrorCode.BAD_USER_INPUT:
      return firstMessage(error) ?? 'Please check what you entered.';
    case ErrorCode.UNAUTHENTICATED:
      return firstMessage(error) ?? 'You are not signed in.';
    case ErrorCode.RATE_LIMITED:
      return 'Too many attempts. Please wait a moment and try again.';
    case ErrorCode.FORBIDDEN:
      return 'You are not allowed to do that.';
    case ErrorCode.INTERNAL_SERVER_ERROR:
      return 'Something went wrong on our side. Please try again.';
    default:
      return 'Could not reach the server. Check your connection and try again.';
  }
}
