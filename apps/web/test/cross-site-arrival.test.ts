// ADR 0005: the re-navigation happens only for a cross-site top-level navigation, once.
import { describe, expect, it } from 'vitest';
import { hasReentryMarker, isCrossSiteArrival, reentryHtml, reentryUrl, withoutReentry } from '../src/lib/ssr/cross-site-arrival';

const nav = (site: string | undefined, extra: Record<string, string> = {}) => ({
  method: 'GET',
  headers: {
    ...(site ? { 'sec-fetch-site': site } : {}),
    'sec-fetch-mode': 'navigate',
    'sec-fetch-dest': 'document',
    ...extra,
  },
});

describe('isCrossSiteArrival', () => {
  it('is true only for a cross-site top-level navigation', () => {
    expect(isCrossSiteArrival(nav('cross-site'))).toBe(true);
    // Typed URL / bookmark and same-site navigations already carry SameSite=Strict cookies.
    expect(isCrossSiteArrival(nav('none'))).toBe(false);
    expect(isCrossSiteArrival(nav('same-origin'))).toBe(false);
    expect(isCrossSiteArrival(nav('same-site'))).toBe(false);
    // No Fetch Metadata (old browser): no re-navigation, just the sign-in page.
    expect(isCrossSiteArrival(nav(undefined))).toBe(false);
    // Not a document navigation (fetch, iframe) or not GET.
    expect(isCrossSiteArrival(nav('cross-site', { 'sec-fetch-mode': 'cors' }))).toBe(false);
    expect(isCrossSiteArrival(nav('cross-site', { 'sec-fetch-dest': 'iframe' }))).toBe(false);
    expect(isCrossSiteArrival({ ...nav('cross-site'), method: 'POST' })).toBe(false);
  });
});

describe('re-navigation target', () => {
  it('adds the loop marker to the same relative URL, and removes it again', () => {
    expect(reentryUrl('/notes?x=1')).toBe('/notes?x=1&reentry=1');
    expect(withoutReentry('/notes?x=1&reentry=1')).toBe('/notes?x=1');
    expect(hasReentryMarker({ reentry: '1' })).toBe(true);
    expect(hasReentryMarker({})).toBe(false);
  });

  it('never leaves the site, even for a crafted path', () => {
    expect(reentryUrl('//evil.example/x')).toBe('/x?reentry=1');
  });

  it('escapes the URL in the HTML page', () => {
    const html = reentryHtml('/notes?a="><script>&reentry=1');
    expect(html).toContain('http-equiv="refresh"');
    expect(html).not.toContain('"><script>');
    expect(html).not.toMatch(/<script/i);
  });
});
