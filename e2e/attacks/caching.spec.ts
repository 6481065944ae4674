// The next person at a shared computer (THREATS T31; OWASP Session Management CS, "Web Content
// Caching"). After the victim signs out, what the browser kept is all the attacker has: the HTTP
// cache and the history. Every response with private data or an access token (the HTML of protected
// pages and their /_next/data JSON, which carries the token too) must be `private, no-store`, so there
// is nothing to find and Back has to ask the server, which now says "sign in".
// (Back with the back/forward cache on: tests/back-button-bfcache.spec.ts.)
import type { Response } from '@playwright/test';
import { expect, test } from '../support/attacks';
import { WEB_ORIGIN } from '../support/env';
import { addNote, signUp } from '../support/fixtures';

const PRIVATE_PAGES = ['/', '/notes', '/sessions', '/token'];

test('T31 every response with private data or a token is private, no-store: HTML and /_next/data JSON', async ({ page }) => {
  const seen: Response[] = [];
  page.on('response', (r) => {
    const { origin, pathname } = new URL(r.url());
    if (origin === WEB_ORIGIN && (PRIVATE_PAGES.includes(pathname) || pathname.startsWith('/_next/data/'))) {
      seen.push(r);
    }
  });

  await signUp(page, undefined, '/');
  for (const label of ['Notes', 'Sessions', 'Token inspector', 'Home']) {
    const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label });
    await link.click(); // client-side: /_next/data/…json
    await expect(link).toHaveAttribute('aria-current', 'page');
  }
  for (const path of PRIVATE_PAGES) await page.goto(path); // full page loads

  const described = seen.map((r) => `${r.status()} ${new URL(r.url()).pathname} ${r.headers()['cache-control']}`);
  expect(
    described.filter((d) => d.includes('/_next/data/')),
    'client-side navigations seen',
  ).toHaveLength(4);
  for (const line of described) expect(line).toMatch(/ private, no-store$/);
});

test('T31 after sign-out the HTTP cache holds no private page or page data', async ({ page }) => {
  await signUp(page, undefined, '/');
  const note = `cached? ${Date.now()}`;
  await page.getByRole('link', { name: 'Notes', exact: true }).click();
  await addNote(page, note);
  // The client-side navigation fetched /notes' data as JSON; now the HTML of /notes, with the note.
  const buildId = await page.evaluate(() => (window as unknown as { __NEXT_DATA__: { buildId: string } }).__NEXT_DATA__.buildId);
  await page.goto('/notes');

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL('**/signin?reason=signed-out');
  // The attacker, in the same browser, asks the cache alone (never the network) for each URL.
  for (const url of [...PRIVATE_PAGES, `/_next/data/${buildId}/notes.json`]) {
    const cached = await page.evaluate(async (url) => {
      try {
        const r = await fetch(url, { cache: 'only-if-cached', mode: 'same-origin' });
        return `found: ${r.status}, ${(await r.text()).length} bytes`;
      } catch {
        return 'not in the cache'; // a cache miss is a network error for only-if-cached
      }
    }, url);
    expect(cached, url).toBe('not in the cache');
  }
});

test('T31 after sign-out, walking Back through every private page shows nothing private', async ({ page }) => {
  const account = await signUp(page, undefined, '/notes');
  const note = `private note ${Date.now()}`;
  await addNote(page, note);
  // Full page loads, so each private page is its own history entry behind the sign-out.
  for (const path of ['/sessions', '/token', '/']) {
    await page.goto(path);
    await expect(page.getByTestId('current-user')).toHaveText(account.email);
  }
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL('**/signin?reason=signed-out');

  // Sign-out replaced the last entry (/), so Back goes to /token, /sessions, /notes in turn.
  for (const path of ['/token', '/sessions', '/notes']) {
    await page.goBack();
    await expect(page).toHaveURL(`${WEB_ORIGIN}/signin?next=${encodeURIComponent(path)}`);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByText(account.email)).toHaveCount(0);
    await expect(page.getByText(note)).toHaveCount(0);
  }
});
