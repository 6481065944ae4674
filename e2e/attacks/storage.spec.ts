// THREATS T30: the access token is in the tab's memory and nowhere script could find it after the
// fact or that outlives the page (OWASP JWT Cheat Sheet, "Token Storage on Client Side"). Every flow
// is walked once and the browser searched at each step; in between, a trap reports any write to a
// storage API at all, so a token written and removed again between two checks would still show.
import type { Page } from '@playwright/test';
import { expect, test, trapStorageWrites } from '../support/attacks';
import { ACCESS_TOKEN_TTL_SECONDS } from '../support/env';
import { expectNoTokenInBrowserStorage, signIn, signUp } from '../support/fixtures';

/** The shared check (web storage, IndexedDB, document.cookie) plus the Cache API, window.name and the URL. */
async function expectNoTokenAnywhere(page: Page, step: string): Promise<void> {
  await test.step(`no token in the browser: ${step}`, async () => {
    await expectNoTokenInBrowserStorage(page);
    const more = await page.evaluate(async () => ({
      cacheStorage: await caches.keys(),
      windowName: window.name,
      jwtInUrl: /eyJ[\w-]+\.eyJ/.test(window.location.href),
    }));
    expect(more).toEqual({ cacheStorage: [], windowName: '', jwtInUrl: false });
  });
}

test('T30 no token in web storage, IndexedDB, Cache API or script-readable cookies through sign-up, reload, refresh, sign-out, sign-in', async ({
  page,
  context,
}) => {
  const writes = await trapStorageWrites(context);

  const account = await signUp(page, undefined, '/token');
  await expectNoTokenAnywhere(page, 'after sign-up');

  await page.reload();
  await expect(page.getByTestId('current-user')).toHaveText(account.email);
  await expectNoTokenAnywhere(page, 'after a reload (server-side refresh)');

  await page.getByRole('link', { name: 'Notes' }).click();
  await expect(page).toHaveURL(/\/notes$/);
  await page.getByRole('link', { name: 'Token inspector' }).click();
  await expect(page).toHaveURL(/\/token$/);
  await expectNoTokenAnywhere(page, 'after client-side navigation (/_next/data exchange)');

  // The token inspector renews its token by itself at the start of the refresh margin (the last
  // quarter of the lifetime): a silent refresh in the browser, then a call with the new token.
  await expect(page.getByTestId('refresh-log').locator('li[data-kind="silent"]').first()).toBeVisible({
    timeout: ACCESS_TOKEN_TTL_SECONDS * 1000 + 5_000,
  });
  await page.getByRole('button', { name: 'Call the API now' }).click();
  await expectNoTokenAnywhere(page, 'after a silent refresh in the browser');

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL('**/signin?reason=signed-out');
  await expectNoTokenAnywhere(page, 'after sign-out');

  await signIn(page, account, '/');
  await expectNoTokenAnywhere(page, 'after signing in again');

  expect(writes, 'storage writes by any page').toEqual([]);
});
