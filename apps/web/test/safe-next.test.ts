// THREATS T32: `next` never leads off the site.
import { describe, expect, it } from 'vitest';
import { safeNextPath, signInUrl } from '../src/lib/safe-next';

describe('safeNextPath', () => {
  it.each([
    ['/notes', '/notes'],
    ['/notes?x=1#top', '/notes?x=1#top'],
    ['/a/../sessions', '/sessions'],
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
    '/\t/evil.example',
    '/\n/evil.example',
    'javascript:alert(1)',
    'http:/evil.example',
    'evil.example',
    '',
    undefined,
    42,
    '/' + 'a'.repeat(3000),
  ])('falls back to / for %j', (input) => {
    expect(safeNextPath(input)).toBe('/');
  });
});

describe('signInUrl', () => {
  it('carries a safe next and a reason, and drops an unsafe next', () => {
    expect(signInUrl('/notes?x=1')).toBe('/signin?next=%2Fnotes%3Fx%3D1');
    expect(signInUrl('/', 'signed-out')).toBe('/signin?reason=signed-out');
    expect(signInUrl('//evil.example')).toBe('/signin');
    expect(signInUrl(undefined)).toBe('/signin');
  });
});
