// An in-memory log of where this tab's access tokens came from, shown by the token inspector (/token)
// so a reader can watch silent refreshes and rotations happen. It never holds a token, only its jti
// and expiry: the log is for display and must not become a second token store.

export type RefreshEvent = {
  readonly id: number;
  readonly at: number;
  readonly kind:
    | 'ssr' // the page's server refreshed with the cookies and handed this tab a token
    | 'silent' // TokenRefreshLink refreshed in the browser before expiry
    | 'failed'; // a refresh was refused or could not reach the server
  readonly jti?: string;
  readonly expiresAt?: number;
  /**
   * SSR only: whether the API rotated the refresh cookie (a Set-Cookie came back). false means the
   * grace window answered: another tab or request had already rotated it.
   */
  readonly rotated?: boolean;
  readonly detail?: string;
};

const MAX_EVENTS = 50;
let events: readonly RefreshEvent[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

export const refreshLog = {
  add(event: Omit<RefreshEvent, 'id' | 'at'>, at: number = Date.now()): void {
    events = [{ ...event, id: nextId++, at }, ...events].slice(0, MAX_EVENTS);
    for (const l of listeners) l();
  },
  /** Newest first; a new array on each change (useSyncExternalStore snapshot). */
  list(): readonly RefreshEvent[] {
    return events;
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
