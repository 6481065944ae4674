// The hand-over of the access token that the page's server obtained (see ../ssr/with-session.ts).
import { refreshLog } from './refresh-log';
import { tokenStore } from './token-store';

/** What a protected page's getServerSideProps hands to the browser besides the Apollo cache. */
export type SsrAuth = {
  accessToken: string;
  /** Whether the API rotated the refresh cookie during this SSR refresh. */
  rotated: boolean;
};

/**
 * Put the SSR token into this tab's memory store. Browser only: on the server the store is a
 * process-wide module shared by all requests, so it must never hold anybody's token there.
 */
export function acceptSsrToken(auth: SsrAuth | undefined): void {
  if (typeof window === 'undefined' || !auth) return;
  if (!tokenStore.set(auth.accessToken)) return; // same token as before (re-render)
  const token = tokenStore.get();
  refreshLog.add({
    kind: 'ssr',
    jti: typeof token?.claims.jti === 'string' ? token.claims.jti : undefined,
    expiresAt: token?.expiresAt,
    rotated: auth.rotated,
  });
}
