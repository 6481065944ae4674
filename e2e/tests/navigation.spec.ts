// Moving between signed-in pages inside the app: each page's getServerSideProps runs again (as a
// /_next/data request), exchanges the cookies, and hands the tab a fresh token and the page's data.
import { expect, expectNoTokenInBrowserStorage, recordGraphql, signUp, test } from '../support/fixtures';

test('client-side navigation between signed-in pages keeps the session and the data', async ({ page }) => {
  const account = await signUp(page, undefined, '/');
  await expect(page.getByTestId('me-email')).toHaveText(account.email);
  const graphql = recordGraphql(page);

  await page.getByRole('link', { name: 'Sessions' }).click();
  await expect(page).toHaveURL(/\/sessions$/);
  await expect(page.getByTestId('session').filter({ hasText: 'This device' })).toHaveCount(1);

  await page.getByRole('link', { name: 'Token inspector' }).click();
  await expect(page).toHaveURL(/\/token$/);
  // Three SSR exchanges so far in this tab (/, /sessions, /token), each with a rotated cookie.
  await expect(page.getByTestId('refresh-log').locator('li[data-kind="ssr"]')).toHaveCount(3);

  await page.getByRole('link', { name: 'Home' }).click();
  await expect(page.getByTestId('me-email')).toHaveText(account.email);
  // The pages' data came from their servers; the browser itself made no GraphQL request.
  expect(graphql.operations()).toEqual([]);
  await expectNoTokenInBrowserStorage(page);
});
