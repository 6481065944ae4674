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
  /** The page is done: its timer goes, and any call it left running stops now (an AbortError). */
  end(): void;
};

/** The reason a finished page's calls stop: nothing waits for their answers any more. */
const PAGE_ENDED = new DOMException('The page has been answered', 'AbortError');

export function startDeadline(timeoutMs: number = webConfig.ssrApiTimeoutMs): Deadline {
  // WHY not AbortSignal.timeout: its timer cannot be cancelled, so every page's signal outlived
  // the page by the whole budget and then aborted (a TimeoutError and an event), work on every
  // signed-in page (issue 12). WHY `end` aborts as well: a call that the page no longer waits for
  // (never awaited, or left running when a sibling failed) must not outlive the page either; against
  // a stalling API, the very case of this deadline, it would hold a socket and memory until the API
  // answered.
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`The API did not answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  return {
    signal: controller.signal,
    timeoutMs,
    end() {
      clearTimeout(timer);
      controller.abort(PAGE_ENDED);
    },
  };
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
