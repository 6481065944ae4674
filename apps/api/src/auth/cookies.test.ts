import { FINGERPRINT_COOKIE, REFRESH_COOKIE } from '@app/shared';
import { describe, expect, it } from 'vitest';
import { clearSessionCookies, readSessionCookies, setSessionCookies } from './cookies.js';

describe('auth cookies', () => {
  it('T23 carry __Host-, Secure, HttpOnly, SameSite=Strict, Path=/ and no Domain', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const cookies = setSessionCookies({ refreshToken: 'r', fingerprint: 'f', expiresAt: new Date(now.getTime() + 60_000), now });
    expect(cookies).toHaveLength(2);
    for (const c of cookies) {
      expect(c).toMatch(/^__Host-/);
      expect(c).toContain('; Secure');
      expect(c).toContain('; HttpOnly');
      expect(c).toContain('; SameSite=Strict');
      expect(c).toContain('; Path=/');
      expect(c).toContain('; Max-Age=60');
      expect(c).not.toMatch(/domain=/i);
    }
  });

  it('T27 clearing sets Max-Age=0 on both', () => {
    const cleared = clearSessionCookies();
    expect(cleared.map((c) => c.split('=')[0])).toEqual([REFRESH_COOKIE, FINGERPRINT_COOKIE]);
    for (const c of cleared) expect(c).toContain('Max-Age=0');
  });

  it('reads both cookies and ignores others', () => {
    expect(readSessionCookies(`a=1; ${REFRESH_COOKIE}=r1; ${FINGERPRINT_COOKIE}=f1`)).toEqual({ refreshToken: 'r1', fingerprint: 'f1' });
    expect(readSessionCookies(null)).toEqual({ refreshToken: undefined, fingerprint: undefined });
  });
});
