// THREATS T29 (CSP with nonce), T34 (clickjacking), and the other response headers.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, createNonce, securityHeaders } from '../server/security-headers';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));

describe('Content-Security-Policy', () => {
  it('production: nonce + strict-dynamic, no unsafe-inline/unsafe-eval for scripts', () => {
    const csp = directives(contentSecurityPolicy({ nonce: 'abc', dev: false, https: false }));
    const scripts = csp.get('script-src') ?? [];
    expect(scripts).toContain("'nonce-abc'");
    expect(scripts).toContain("'strict-dynamic'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(csp.get('style-src')).not.toContain("'unsafe-inline'");
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it('development adds only what the dev tooling needs', () => {
    const csp = directives(contentSecurityPolicy({ nonce: 'abc', dev: true, https: false }));
    expect(csp.get('script-src')).toContain("'unsafe-eval'");
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('a fresh 128-bit nonce every time', () => {
    const a = createNonce();
    expect(Buffer.from(a, 'base64')).toHaveLength(16);
    expect(createNonce()).not.toBe(a);
  });
});

describe('other headers', () => {
  it('deny framing, sniffing and powerful features; HSTS only over HTTPS', () => {
    const plain = securityHeaders({ nonce: 'n', dev: false, https: false });
    expect(plain['X-Frame-Options']).toBe('DENY');
    expect(plain['X-Content-Type-Options']).toBe('nosniff');
    expect(plain['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(plain['Permissions-Policy']).toContain('camera=()');
    expect(plain['Strict-Transport-Security']).toBeUndefined();

    const tls = securityHeaders({ nonce: 'n', dev: false, https: true });
    expect(tls['Strict-Transport-Security']).toMatch(/^max-age=\d{8}/);
    expect(tls['Content-Security-Policy']).toContain('upgrade-insecure-requests');
  });
});
