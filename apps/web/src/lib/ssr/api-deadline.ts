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

export type Deadline = {
  signal: AbortSignal;
  timeoutMs: number;
  /** The page is done: its timer goes with it, and the signal never aborts. */
  end(): void;
};

export function startDeadline(timeoutMs: number = webConfig.ssrApiTimeoutMs): Deadline {
  // WHY not AbortSignal.timeout: its timer cannot be cancelled. Every page's signal would then
  // outlive the page by the whole budget and abort (a TimeoutError and an event) seconds after
  // the page was sent; profiled under load, that was work on every signed-in page (issue 12).
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`The API did not answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  return { signal: controller.signal, timeoutMs, end: () => clearTimeout(timer) };
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
