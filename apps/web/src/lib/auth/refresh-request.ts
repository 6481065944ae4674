// The browser's `refreshAccessToken` request, one tab at a time.
//
// WHY a cross-tab lock: every tab of a browser shares one refresh cookie, and each refresh rotates it
// (RFC 9700 §4.14.2). Two tabs refreshing at the same instant would both present the same token; the
// second presentation is a reuse. The API forgives that inside a short grace window, but a client that
// relies on the grace window is one slow network away from revoking its own session. With the Web
// Locks API the tabs queue: each one sends the refresh cookie its predecessor just received.
import type { AuthPayloadFieldsFragment as AuthPayload } from '../graphql';
import { readRefreshResponse, refreshRequestInit } from '../refresh-protocol';

export const REFRESH_LOCK_NAME = 'jwt-auth:refresh';

export type LockManagerLike = {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
};

function browserLocks(): LockManagerLike | undefined {
  // Web Locks exist in every current browser (secure contexts only; http://localhost counts).
  // Without them we fall back to the server's grace window rather than failing.
  return typeof navigator !== 'undefined' && 'locks' in navigator ? (navigator.locks as LockManagerLike) : undefined;
}

/** Run `task` while holding the refresh lock shared by all tabs of this origin. */
export function withRefreshLock<T>(task: () => Promise<T>, locks: LockManagerLike | undefined = browserLocks()): Promise<T> {
  return locks ? locks.request(REFRESH_LOCK_NAME, task) : task();
}

/**
 * The refresh was answered "unauthenticated": the session is over. Shaped like Apollo's ServerError
 * (`statusCode` 401, `result`) so that errorLink and `isUnauthenticated` recognise it.
 */
export class RefreshRefusedError extends Error {
  override readonly name = 'RefreshRefusedError';
  readonly statusCode = 401;
  constructor(readonly result: unknown) {
    super('refreshAccessToken refused: the session has ended');
  }
}

/**
 * POST refreshAccessToken with the cookies and read the answer (../refresh-protocol.ts), all while
 * holding the lock: the next tab starts only after this one's response — and its rotated Set-Cookie —
 * has arrived. Resolves with the new AuthPayload; rejects with RefreshRefusedError (session over),
 * RefreshFailedError (outage) or fetch's TypeError (offline).
 */
export function requestRefresh(
  uri: string,
  fetchImpl: typeof fetch = fetch,
  locks: LockManagerLike | undefined = browserLocks(),
): Promise<AuthPayload> {
  const send = async () => {
    const response = await fetchImpl(uri, {
      ...refreshRequestInit(),
      // The cookies are HttpOnly and same-origin: the browser attaches them, script never sees them.
      credentials: 'same-origin',
    });
    const answer = await readRefreshResponse(response);
    if (answer.kind === 'unauthenticated') throw new RefreshRefusedError(answer.body);
    return answer.payload;
  };
  return withRefreshLock(send, locks);
}
