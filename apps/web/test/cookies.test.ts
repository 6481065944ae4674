import { FINGERPRINT_COOKIE, REFRESH_COOKIE } from '@app/shared';
import { describe, expect, it } from 'vitest';
import { applySetCookies, authCookiesOnly, hasAuthCookies, parseCookieHeader, serializeCookieHeader } from '../src/lib/ssr/cookies';

describe('SSR cookie plumbing', () => {
  const header = `theme=dark; ${REFRESH_COOKIE}=r1; ${FINGERPRINT_COOKIE}=f1; other=x=y`;

  it('parses a Cookie header and keeps only the auth cookies for the API', () => {
    const jar = parseCookieHeader(header);
    expect(jar.get('other')).toBe('x=y');
    const auth = authCookiesOnly(jar);
    expect(serializeCookieHeader(auth)).toBe(`${REFRESH_COOKIE}=r1; ${FINGERPRINT_COOKIE}=f1`);
    expect(hasAuthCookies(auth)).toBe(true);
    expect(hasAuthCookies(parseCookieHeader('theme=dark'))).toBe(false);
    expect(hasAuthCookies(parseCookieHeader(undefined))).toBe(false);
  });

  it('applies the API Set-Cookie lines like the browser will (rotation and deletion)', () => {
    const jar = authCookiesOnly(parseCookieHeader(header));
    const rotated = applySetCookies(jar, [`${REFRESH_COOKIE}=r2; Max-Age=600; Path=/; HttpOnly; Secure; SameSite=Strict`]);
    expect(rotated.get(REFRESH_COOKIE)).toBe('r2');
    expect(rotated.get(FINGERPRINT_COOKIE)).toBe('f1');

    const cleared = applySetCookies(rotated, [
      `${REFRESH_COOKIE}=; Max-Age=0; Path=/`,
      `${FINGERPRINT_COOKIE}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/`,
    ]);
    expect(cleared.size).toBe(0);

    // Max-Age wins over Expires (RFC 6265 §5.3).
    const kept = applySetCookies(jar, [`${REFRESH_COOKIE}=r3; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT`]);
    expect(kept.get(REFRESH_COOKIE)).toBe('r3');
  });
});
