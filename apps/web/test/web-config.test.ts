// The web server's one configuration module: defaults, and a clear failure naming the variable.
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL, DEFAULT_SSR_API_TIMEOUT_MS, parseWebConfig } from '../src/lib/web-config';

describe('parseWebConfig', () => {
  it('defaults: port 3000, all interfaces, the local API, no proxies trusted, a 5 s SSR budget', () => {
    const config = parseWebConfig({});
    expect(config).toEqual({
      dev: true,
      port: 3000,
      host: undefined,
      apiOrigin: DEFAULT_API_URL,
      apiGraphqlUrl: `${DEFAULT_API_URL}/graphql`,
      trustProxy: false,
      trustedProxies: new Set(),
      ssrApiTimeoutMs: DEFAULT_SSR_API_TIMEOUT_MS,
    });
    expect(parseWebConfig({ NODE_ENV: 'production' }).dev).toBe(false);
    // Empty means unset, as a shell's `API_URL= pnpm start` does.
    expect(parseWebConfig({ API_URL: ' ', PORT: '', SSR_API_TIMEOUT_MS: '' })).toEqual(config);
  });

  it('API_URL: an http(s) URL, reduced to its origin', () => {
    expect(parseWebConfig({ API_URL: 'https://api.example:8443/some/path?q=1' }).apiOrigin).toBe('https://api.example:8443');
    expect(parseWebConfig({ API_URL: 'http://10.0.0.5:4000' }).apiGraphqlUrl).toBe('http://10.0.0.5:4000/graphql');
    for (const bad of ['ftp://api.example', 'api.example:4000', 'not a url', 'javascript:alert(1)', 'file:///etc/passwd']) {
      expect(() => parseWebConfig({ API_URL: bad }), bad).toThrow(/API_URL must be an http\(s\) URL/);
    }
  });

  it('PORT, SSR_API_TIMEOUT_MS: integers in range', () => {
    expect(parseWebConfig({ PORT: '8080', SSR_API_TIMEOUT_MS: '250' })).toMatchObject({ port: 8080, ssrApiTimeoutMs: 250 });
    for (const bad of ['-1', '65536', '1.5', 'http']) {
      expect(() => parseWebConfig({ PORT: bad }), bad).toThrow(/PORT must be an integer 0–65535/);
    }
    for (const bad of ['0', '-1', '1.5', 'soon']) {
      expect(() => parseWebConfig({ SSR_API_TIMEOUT_MS: bad }), bad).toThrow(/SSR_API_TIMEOUT_MS must be a positive integer/);
    }
  });

  it('TRUST_PROXY: true/1 or false/0; anything else is a mistake, not a silent "no"', () => {
    expect(parseWebConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseWebConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(true);
    expect(parseWebConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(parseWebConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(() => parseWebConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY must be true, 1, false or 0/);
  });

  it('WEB_TRUSTED_PROXIES: IP addresses, canonical (IPv4-mapped IPv6 → IPv4)', () => {
    const { trustedProxies } = parseWebConfig({ WEB_TRUSTED_PROXIES: ' 10.0.0.1, ::ffff:192.0.2.1 ,::1,' });
    expect([...trustedProxies]).toEqual(['10.0.0.1', '192.0.2.1', '::1']);
    expect(() => parseWebConfig({ WEB_TRUSTED_PROXIES: '10.0.0.1, proxy.internal' })).toThrow(
      /WEB_TRUSTED_PROXIES must be a comma-separated list of IP addresses/,
    );
  });

  it('names every bad variable in one message', () => {
    const message = (() => {
      try {
        parseWebConfig({ API_URL: 'ftp://x', PORT: 'http' });
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    })();
    expect(message).toMatch(/^Invalid web server configuration: /);
    expect(message).toContain('PORT must be an integer 0–65535 (got "http")');
    expect(message).toContain('API_URL must be an http(s) URL (got "ftp://x")');
  });
});
