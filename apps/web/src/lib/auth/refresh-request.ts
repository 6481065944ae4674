// The browser's `refreshAccessToken` request, one tab at a time.
//
// WHY a cross-tab lock: every tab of a browser shares one refresh cookie, and each refresh rotates it
// (RFC 9700 §4.14.2). Two tabs refreshing at the same instant would both present the same token; the
// second presentation is a reuse. The API forgives that inside a short grace window, but a client that
// relies on the grace window is one slow network away from revoking its own session. With the Web
// Locks API the tabs queue: each one sends the refresh cookie its predecessor just received.
import { CSRF_HEADER, REFRESH_ACCESS_TOKEN } from '@app/shared';

export const REFRESH_LOCK_NAME = 'jwt-auth:refresh';

export type LockManagerLike = {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
};

function browserLocks(): LockManagerLike | undefined {
  // Web Locks exist in every current browser (secure contexts only; http://localhost counts).
  // Without them we fall back to the server's grace window rather than failing.
  return typeof navigator !== 'undefined' && 'locks' in navigator
    ? (navigator.locks as LockManagerLike)
    : undefined;
}

/** Run `task` while holding the refresh lock shared by all tabs of this origin. */
export function withRefreshLock<T>(
  task: () => Promise<T>,
  locks: LockManagerLike | undefined = browserLocks(),
): Promise<T> {
  return locks ? locks.request(REFRESH_LOCK_NAME, task) : task();
}

/**
 * POST refreshAccessToken with the cookies. The Response is returned once its headers have arrived,
 * i.e. after the browser has stored the rotated Set-Cookie — only then is the lock released.
 */
export function requestRefresh(
  uri: string,
  fetchImpl: typeof fetch = fetch,
  locks: LockManagerLike | undefined = browserLocks(),
): Promise<Response> {
  const send = () =>
    fetchImpl(uri, {
      method: 'POST',
      // The cookies are HttpOnly and same-origin: the browser attaches them, script never sees them.
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        // Contract: every request carries the CSRF header (OWASP CSRF CS, "custom request header").
        [CSRF_HEADER]: '1',
      },
      body: JSON.stringify({ operationName: 'RefreshAccessToken', query: REFRESH_ACCESS_TOKEN }),
    });
  return withRefreshLock(send, locks);
}
