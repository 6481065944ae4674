// Arriving from another site through a link, with SameSite=Strict auth cookies.
// See docs/decisions/0005-samesite-strict-and-cross-site-arrival.md.
//
// A top-level navigation that another site started carries no SameSite=Strict cookies
// (RFC 6265bis §5.6.7.1), so the page's server sees a signed-out visitor even when the person is
// signed in. Answering with a tiny page that navigates to the same URL turns that into a navigation
// started by our own page: a same-site request, which carries the Strict cookies.
import type { IncomingMessage } from 'node:http';

/** Marker on the re-navigation. Its presence means "already re-navigated once": never loop. */
export const REENTRY_PARAM = 'reentry';

/**
 * True when this request is a top-level navigation from another site, i.e. the one case in which
 * Strict cookies are withheld although the person may hold them. `Sec-Fetch-Site: none` (typed URL,
 * bookmark) and `same-site`/`same-origin` already carry Strict cookies; browsers without Fetch
 * Metadata simply skip the re-navigation and land on the sign-in page (safe, just less convenient).
 */
export function isCrossSiteArrival(req: Pick<IncomingMessage, 'headers' | 'method'>): boolean {
  return (
    req.method === 'GET' &&
    req.headers['sec-fetch-site'] === 'cross-site' &&
    req.headers['sec-fetch-mode'] === 'navigate' &&
    req.headers['sec-fetch-dest'] === 'document'
  );
}

/** The same path and query with the marker added. Always a relative URL: never leaves the site. */
export function reentryUrl(resolvedUrl: string): string {
  const url = new URL(resolvedUrl, 'http://same-site.invalid');
  url.searchParams.set(REENTRY_PARAM, '1');
  return `${url.pathname}${url.search}`;
}

/** `resolvedUrl` without the marker (for `next=` and for the address bar). */
export function withoutReentry(resolvedUrl: string): string {
  const url = new URL(resolvedUrl, 'http://same-site.invalid');
  url.searchParams.delete(REENTRY_PARAM);
  return `${url.pathname}${url.search}`;
}

export function hasReentryMarker(query: Record<string, unknown>): boolean {
  return query[REENTRY_PARAM] !== undefined;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/**
 * The re-navigation page. A meta refresh needs no script (nothing for the CSP to allow) and is a
 * navigation initiated by this same-origin document. The link is the fallback if refresh is disabled.
 */
export function reentryHtml(target: string): string {
  const href = escapeHtml(target);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0;url=${href}">
<title>Continuing…</title></head>
<body><p><a href="${href}">Continue</a></p></body></html>`;
}
