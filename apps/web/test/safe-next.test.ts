// THREATS T32: `next` never leads off the site, whichever spelling the attacker picks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNextPath, signInUrl } from '../src/lib/safe-next';

/** Where the browser resolves the result (any real origin: the check must not depend on it). */
const SITE = 'https://notes.example:8443';

/** What `location.assign(result)` does with the result, as far as leaving the site goes. */
function staysOnSite(result: string): boolean {
  const followed = new URL(result, SITE);
  return (
    followed.origin === SITE &&
    result.startsWith('/') &&
    !result.startsWith('//') &&
    !result.startsWith('/\\') &&
    !followed.pathname.startsWith('//')
  );
}

// Pieces of the spellings that have turned same-site-looking text into another host somewhere.
const FRAGMENTS = [
  '/',
  '//',
  '\\',
  '/\\',
  '.',
  '..',
  './',
  '../',
  '%2e',
  '%2E',
  '%2e%2e',
  '.%2E',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '%252f',
  '\t',
  '\n',
  '\r',
  ' ',
  '\u0000',
  '\u000b',
  '@',
  ':',
  '::',
  '?',
  '#',
  '&',
  ';',
  'http:',
  'https:',
  'HTTPS:',
  'javascript:',
  'JaVaScRiPt:',
  'data:',
  'file:',
  'ftp:',
  'blob:',
  'ws:',
  'evil.example',
  'evil.example:80',
  'user:pass@',
  'same-site.invalid',
  'notes.example:8443',
  'localhost',
  '127.0.0.1',
  '0x7f.1',
  '[::1]',
  '[::ffff:7f00:1]',
  'xn--80ak6aa92e.com',
  'é',
  'ｅvil',
  '／',
  '\u3002',
  '\u2215',
  '\uff0e',
  '\u200b',
  'a',
  'notes',
  'alert(1)',
];

const spelling = fc.oneof(
  fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')),
  // Most spellings that matter start with one slash, i.e. pass a naive "is it a path?" test.
  fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 8 }).map((parts) => `/${parts.join('')}`),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.webPath().map((p) => `/${p}`),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${s}`),
);

describe('safeNextPath', () => {
  it('T32 the result, followed by the browser, stays on the site for any spelling', () => {
    fc.assert(
      fc.property(spelling, (input) => {
        const result = safeNextPath(input);
        expect(staysOnSite(result), `${JSON.stringify(input)} → ${JSON.stringify(result)}`).toBe(true);
        // What we return survives a second check unchanged: no re-parse turns it into something else.
        expect(safeNextPath(result)).toBe(result);
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    '/.//evil.example',
    '/%2e//evil.example',
    '/%2E//evil.example',
    '/a/..//evil.example',
    '/a/%2e%2e//evil.example',
    '/./\\evil.example',
    '/.\\/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
  ])('T32 a path the URL parser turns into //host falls back to /: %j', (input) => {
    expect(safeNextPath(input)).toBe('/');
  });

  it.each([
    ['/notes', '/notes'],
    ['/notes?x=1#top', '/notes?x=1#top'],
    ['/a/../sessions', '/sessions'],
    ['/%2e/notes', '/notes'],
    ['/notes/%2F%2Fevil.example', '/notes/%2F%2Fevil.example'],
    [['/token', '/other'], '/token'],
  ])('keeps the same-site path %j', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it.each([
    'https://evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'http:/evil.example',
    'evil.example',
    '',
    undefined,
    42,
  ])('falls back to / for %j', (input) => {
    expect(safeNextPath(input)).toBe('/');
  });

  it('falls back to / for a value longer than any URL we produce', () => {
    expect(safeNextPath('/' + 'a'.repeat(3000))).toBe('/');
  });
});

describe('signInUrl', () => {
  it('carries a safe next and a reason, and drops an unsafe next', () => {
    expect(signInUrl('/notes?x=1')).toBe('/signin?next=%2Fnotes%3Fx%3D1');
    expect(signInUrl('/', 'signed-out')).toBe('/signin?reason=signed-out');
    expect(signInUrl('//evil.example')).toBe('/signin');
    expect(signInUrl('/.//evil.example')).toBe('/signin');
    expect(signInUrl(undefined)).toBe('/signin');
  });
});
