// Cookie plumbing for the SSR exchange. The web server never interprets the auth cookies; it only
// (1) forwards the two it needs to the API and (2) relays the API's Set-Cookie to the browser untouched,
// so the HttpOnly/Secure/SameSite/__Host- attributes the API chose reach the browser as written.
import { FINGERPRINT_COOKIE, REFRESH_COOKIE } from '@app/shared';

export const AUTH_COOKIES = [REFRESH_COOKIE, FINGERPRINT_COOKIE] as const;

/** Parse a `Cookie:` request header (RFC 6265 §5.4) into name → value. First occurrence wins. */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !jar.has(name)) jar.set(name, part.slice(eq + 1).trim());
  }
  return jar;
}

/** Serialize name → value back into a `Cookie:` header. */
export function serializeCookieHeader(jar: ReadonlyMap<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** Keep only the auth cookies: the API gets what it needs and nothing else the browser sent. */
export function authCookiesOnly(jar: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...jar].filter(([name]) => (AUTH_COOKIES as readonly string[]).includes(name)));
}

export function hasAuthCookies(jar: ReadonlyMap<string, string>): boolean {
  return AUTH_COOKIES.some((name) => jar.has(name));
}

/**
 * Apply `Set-Cookie` response headers to a jar, as the browser will: a new value replaces the old one,
 * `Max-Age=0` (or a past `Expires`) deletes it. Used so that the page's own data requests, made right
 * after the refresh, present the cookies the browser is about to hold.
 */
export function applySetCookies(
  jar: ReadonlyMap<string, string>,
  setCookies: readonly string[],
  now: number = Date.now(),
): Map<string, string> {
  const next = new Map(jar);
  for (const line of setCookies) {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (isExpired(attributes, now)) next.delete(name);
    else next.set(name, value);
  }
  return next;
}

/** Max-Age wins over Expires when both are present (RFC 6265 §5.3 step 3). */
function isExpired(attributes: readonly string[], now: number): boolean {
  let maxAge: number | undefined;
  let expires: number | undefined;
  for (const attr of attributes) {
    const [key = '', ...rest] = attr.split('=');
    const k = key.trim().toLowerCase();
    const v = rest.join('=').trim();
    if (k === 'max-age') maxAge = Number(v);
    if (k === 'expires') expires = Date.parse(v);
  }
  if (maxAge !== undefined && !Number.isNaN(maxAge)) return maxAge <= 0;
  return expires !== undefined && !Number.isNaN(expires) && expires <= now;
}
