// `?next=` after sign-in: only a path on this site is honoured.
// WHY: an attacker-chosen absolute URL here turns our sign-in page into an open redirect that lends
// our domain to phishing (OWASP Unvalidated Redirects and Forwards Cheat Sheet; THREATS T32).
//
// The decision is made on the URL the browser will actually follow, i.e. on the RESULT of parsing,
// never on the text: "/.//evil.example", "/%2e//evil.example" and "/a/..//evil.example" all start with
// one slash, yet the URL parser turns each of them into the path "//evil.example", which
// `location.assign` reads as the scheme-relative URL of another host.

/** Stands in for our own origin: the check works the same on the server and in the browser. */
const SITE = 'http://same-site.invalid';

/** Return `raw` as a same-site relative URL (path + query + hash), or `fallback`. */
export function safeNextPath(raw: unknown, fallback = '/'): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  // Only paths are ever produced by this app ("/notes"); anything else is not ours to follow.
  if (!value.startsWith('/')) return fallback;
  let url: URL;
  try {
    // The WHATWG URL parser, as the browser will apply it: strips tab/CR/LF, reads "\" as "/",
    // resolves "." / ".." / "%2e" segments.
    url = new URL(value, SITE);
  } catch {
    return fallback;
  }
  // Still on this site, with no user-info...
  if (url.origin !== SITE || url.username !== '' || url.password !== '') return fallback;
  // ...and a path that, once written into `location`, cannot be read as "//host" (scheme-relative)
  // or "/\host" (browsers treat "\" as "/" in http(s) URLs).
  const path = url.pathname;
  if (path.startsWith('//') || path.startsWith('/\\')) return fallback;
  return `${path}${url.search}${url.hash}`;
}

/** `/signin?next=<path>` for the page the person was trying to see. */
export function signInUrl(next: string | undefined, reason?: string): string {
  const params = new URLSearchParams();
  const safe = next === undefined ? undefined : safeNextPath(next, '');
  if (safe && safe !== '/') params.set('next', safe);
  if (reason) params.set('reason', reason);
  const query = params.toString();
  return query ? `/signin?${query}` : '/signin';
}
