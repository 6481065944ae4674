// The one way this tab renews its access token. Three callers need a fresh token and all of them go
// through here, so that a tab never has two refreshes in flight (each would rotate the shared refresh
// cookie; the second would present a rotated-away token):
//   - the refresh link, before an operation leaves inside the token's refresh margin;
//   - the live socket (graphql-ws), before it (re)connects, and when its token is about to end;
//   - keepFresh(): a page that is open but idle (/token, a live stream) renews ahead of expiry.
import type { AuthPayloadFieldsFragment as AuthPayload } from '../graphql';
import { RefreshRefusedError } from './refresh-request';
import type { AccessToken, TokenStore } from './token-store';

export type TokenRefresherDeps = {
  tokenStore: TokenStore;
  /** Sends refreshAccessToken (../refresh-protocol.ts) and resolves with its AuthPayload. */
  refresh: () => Promise<AuthPayload>;
  /** A refresh was refused: the session is over everywhere. Called once per refused refresh. */
  onSessionEnded: () => void;
  onRefreshed?: (token: AccessToken) => void;
  onRefreshFailed?: (error: Error) => void;
  /** After a failed scheduled refresh (outage, offline), try again this much later. */
  retryDelayMs?: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
};

export type TokenRefresher = {
  /** Refresh now; joins the refresh already in flight in this tab, if any. */
  refresh(): Promise<AccessToken>;
  /** The current token, refreshed first if it is inside its refresh margin; null when anonymous. */
  ensureFresh(): Promise<AccessToken | null>;
  /**
   * While held, refresh on time by itself: at the start of each token's refresh margin. Returns
   * the release function. Holders are counted; the timer runs while at least one holds it.
   */
  keepFresh(): () => void;
};

export function createTokenRefresher(deps: TokenRefresherDeps): TokenRefresher {
  const { tokenStore } = deps;
  const setTimer = deps.setTimer ?? ((cb, ms) => setTimeout(cb, ms));
  const clearTimer = deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const retryDelayMs = deps.retryDelayMs ?? 5_000;
  let inFlight: Promise<AccessToken> | undefined;

  async function run(): Promise<AccessToken> {
    try {
      const payload = await deps.refresh();
      tokenStore.set(payload.accessToken);
      const token = tokenStore.get();
      if (!token) throw new Error('refreshAccessToken returned no usable token');
      deps.onRefreshed?.(token);
      return token;
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      deps.onRefreshFailed?.(e);
      // Only a refusal ends the session; an outage leaves the token (and the person) where they are.
      if (e instanceof RefreshRefusedError) deps.onSessionEnded();
      throw e;
    }
  }

  function refresh(): Promise<AccessToken> {
    inFlight ??= run().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  async function ensureFresh(): Promise<AccessToken | null> {
    if (inFlight) return inFlight;
    const token = tokenStore.get();
    if (!token) return null; // anonymous, or signed out: nothing to renew
    return tokenStore.needsRefresh() ? refresh() : token;
  }

  // keepFresh ─────────────────────────────────────────────────────────────────────────────────────
  let holders = 0;
  let timer: unknown;
  let unsubscribe: (() => void) | undefined;

  function schedule(delayMs?: number): void {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    const token = tokenStore.get();
    if (holders === 0 || !token || tokenStore.ended) return;
    const untilMargin = tokenStore.msUntilExpiry()! - token.refreshMargin;
    timer = setTimer(
      () => {
        timer = undefined;
        // A refusal has already ended the session (onSessionEnded); anything else is retried.
        refresh().catch((e: unknown) => {
          if (!(e instanceof RefreshRefusedError)) schedule(retryDelayMs);
        });
      },
      Math.max(0, delayMs ?? untilMargin),
    );
  }

  function keepFresh(): () => void {
    holders += 1;
    // Every new token (from here, from the refresh link, from SSR) moves the deadline.
    if (holders === 1) unsubscribe = tokenStore.subscribe(() => schedule());
    schedule();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      holders -= 1;
      if (holders === 0) {
        unsubscribe?.();
        unsubscribe = undefined;
      }
      schedule(); // clears the timer when nobody holds it any more
    };
  }

  return { refresh, ensureFresh, keepFresh };
}
