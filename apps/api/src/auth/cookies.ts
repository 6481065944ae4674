// The two auth cookies. Both: HttpOnly (no script can read them: XSS cannot steal them, T14),
// Secure, SameSite=Strict (docs/decisions/0005), Path=/, and the `__Host-` prefix, which makes
// the browser refuse them unless Secure, Path=/ and without Domain (RFC 6265bis §4.1.3.2, T23).
import { FINGERPRINT_COOKIE, REFRESH_COOKIE } from '@app/shared';
import { parse, serialize, type SerializeOptions } from 'cookie';

const ATTRIBUTES: SerializeOptions = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' };

export type SessionCookies = { refreshToken: string | undefined; fingerprint: string | undefined };

export function readSessionCookies(cookieHeader: string | null): SessionCookies {
  if (!cookieHeader) return { refreshToken: undefined, fingerprint: undefined };
  const cookies = parse(cookieHeader);
  return { refreshToken: cookies[REFRESH_COOKIE], fingerprint: cookies[FINGERPRINT_COOKIE] };
}

export function readFingerprintCookie(cookieHeader: string | null): string | undefined {
  return readSessionCookies(cookieHeader).fingerprint;
}

/**
 * Both cookies expire with the refresh token: one without the other is useless. `now` is the clock
 * `expiresAt` was stamped by (the database's, for a refresh): Max-Age counted from this instance's
 * own clock would outlive the token by as much as the instance runs behind.
 */
export function setSessionCookies(input: { refreshToken: string; fingerprint: string; expiresAt: Date; now: Date }): string[] {
  const maxAge = Math.max(0, Math.floor((input.expiresAt.getTime() - input.now.getTime()) / 1000));
  return [
    serialize(REFRESH_COOKIE, input.refreshToken, { ...ATTRIBUTES, maxAge }),
    serialize(FINGERPRINT_COOKIE, input.fingerprint, { ...ATTRIBUTES, maxAge }),
  ];
}

/** Sign-out: `Max-Age=0` makes the browser drop both at once (T27). */
export function clearSessionCookies(): string[] {
  return [serialize(REFRESH_COOKIE, '', { ...ATTRIBUTES, maxAge: 0 }), serialize(FINGERPRINT_COOKIE, '', { ...ATTRIBUTES, maxAge: 0 })];
}
