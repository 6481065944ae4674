// ADR 0005: SameSite=Strict cookies are not sent on a navigation another site starts, yet a signed-in
// person following a link from elsewhere must land signed in.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { WEB_ORIGIN } from '../support/env';
import { addNote, expect, signUp, test } from '../support/fixtures';

// A real second site: 127.0.0.1 and localhost are different sites to the browser.
let elsewhere: Server;
let elsewhereOrigin: string;
test.beforeAll(async () => {
  elsewhere = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Elsewhere</title>
      <a href="${WEB_ORIGIN}/notes?from=elsewhere">Read my notes</a>`);
  });
  elsewhere.listen(0, '127.0.0.1');
  await once(elsewhere, 'listening');
  elsewhereOrigin = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => elsewhere.close(() => resolve())));

/** The navigations to our site: path, Sec-Fetch-Site, whether the auth cookies went along. */
function recordNavigations(page: Page) {
  const seen: Promise<[string, string | undefined, boolean]>[] = [];
  page.on('request', (request) => {
    if (!request.isNavigationRequest() || !request.url().startsWith(WEB_ORIGIN)) return;
    seen.push(
      request.allHeaders().then((h) => {
        const url = new URL(request.url());
        return [`${url.pathname}${url.search}`, h['sec-fetch-site'], /__Host-refresh=/.test(h['cookie'] ?? '')];
      }),
    );
  });
  return () => Promise.all(seen);
}

test('arriving by a link from another site lands signed in', async ({ page }) => {
  const account = await signUp(page);
  const note = `seen after arriving ${Date.now()}`;
  await addNote(page, note);

  await page.goto(elsewhereOrigin);
  const navigations = recordNavigations(page);
  await page.getByRole('link', { name: 'Read my notes' }).click();

  await expect(page.getByTestId('current-user')).toHaveText(account.email);
  await expect(page.getByText(note)).toBeVisible();
  // The loop marker is gone from the address bar.
  await expect(page).toHaveURL(`${WEB_ORIGIN}/notes?from=elsewhere`);
  // The mechanism: the cross-site navigation came without cookies and got the re-navigation page;
  // the second, same-origin navigation carried the Strict cookies.
  expect(await navigations()).toEqual([
    ['/notes?from=elsewhere', 'cross-site', false],
    ['/notes?from=elsewhere&reentry=1', 'same-origin', true],
  ]);
});

test('arriving from another site while signed out goes to sign-in once, without a loop', async ({ page }) => {
  await page.goto(elsewhereOrigin);
  const navigations = recordNavigations(page);
  await page.getByRole('link', { name: 'Read my notes' }).click();
  await expect(page).toHaveURL(`${WEB_ORIGIN}/signin?next=%2Fnotes%3Ffrom%3Delsewhere`);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect((await navigations()).map(([path]) => path)).toEqual([
    '/notes?from=elsewhere',
    '/notes?from=elsewhere&reentry=1',
    '/signin?next=%2Fnotes%3Ffrom%3Delsewhere',
  ]);
});
