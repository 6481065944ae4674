// `?next=` after sign-in: only a path on this site is honoured.
// WHY: an attacker-chosen absolute URL here turns our sign-in page into an open redirect that lends
// our domain to phishing (OWASP Unvalidated Redirects and Forwards Cheat Sheet; THREATS T32).

const BASE = 'http://same-site.invalid';

/** Return `raw` as a same-site relative URL (path + query + hash), or `fallback`. */
export function safeNextPath(raw: unknown, fallback = '/'): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  // Must be an absolute path: "/notes". Not "//evil.example" (scheme-relative), not "/\evil.example"
  // (browsers read "\" as "/"), not "https://…", not "javascript:…".
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // Browsers silently drop tab/CR/LF inside URLs, so "/\t/evil.example" would become "//evil.example".
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we reject
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  // Final check with a real URL parser: resolving against a fixed base must not change the origin.
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
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
