// A deadline for the API calls one server-side render makes.
// WHY: without one, an API that accepts the connection and never answers (overloaded, a stuck
// query, a network black hole) keeps every page request waiting, each holding a socket and memory,
// until the process runs out (OWASP Denial of Service CS: "set timeouts" on calls to other services).
// SSR_API_TIMEOUT_MS (default 5000, read by ../web-config.ts) is the budget for ALL of a page's
// calls together.
import { ApolloLink } from '@apollo/client';
import { webConfig } from '../web-config';

/** Thrown when the deadline passes before the API answered. */
export class ApiTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The API did not answer within ${timeoutMs} ms`);
    this.name = 'ApiTimeoutError';
  }
}

export type Deadline = { signal: AbortSignal; timeoutMs: number };

export function startDeadline(timeoutMs: number = webConfig.ssrApiTimeoutMs): Deadline {
  return { signal: AbortSignal.timeout(timeoutMs), timeoutMs };
}

/** Put the deadline on every request of an Apollo client (HttpLink passes fetchOptions.signal to fetch). */
export function deadlineLink(deadline: Deadline): ApolloLink {
  return new ApolloLink((operation, forward) => {
    operation.setContext(({ fetchOptions }: { fetchOptions?: RequestInit }) => ({
      fetchOptions: { ...fetchOptions, signal: deadline.signal },
    }));
    return forward(operation);
  });
}
