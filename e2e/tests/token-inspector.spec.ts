// /token shows the mechanism: a countdown to expiry and a log of where each token came from. Left
// open and untouched, it renews its token by itself before expiry (and the refresh cookie rotates).
import { ACCESS_TOKEN_TTL_SECONDS } from '../support/env';
import { authCookies, expect, expectNoTokenInBrowserStorage, pageAlerts, recordGraphql, signUp, test } from '../support/fixtures';

/** Long enough for the token to reach its refresh margin, short of a second lifetime. */
const ONE_LIFETIME_MS = ACCESS_TOKEN_TTL_SECONDS * 1000 + 2000;

test('left open and untouched, the token inspector renews its token before expiry, by itself', async ({ page, context }) => {
  await signUp(page, undefined, '/token');
  const graphql = recordGraphql(page);
  const countdown = page.getByTestId('expires-in');
  const secondsLeft = async () => Number.parseFloat(await countdown.innerText());
  const log = page.getByTestId('refresh-log');
  const claimsNow = async () => JSON.parse(await page.getByTestId('token-claims').innerText());

  // The token came from the server-side exchange, with the cookie rotated.
  await expect(log.locator('li[data-kind="ssr"]')).toHaveCount(1);
  await expect(log.locator('li[data-kind="ssr"]')).toContainText('refresh cookie was rotated');
  const header = JSON.parse(await page.getByTestId('token-header').innerText());
  const claims = await claimsNow();
  expect(header.alg).toBe('EdDSA');
  expect(claims).toMatchObject({ fgp: expect.any(String), jti: expect.any(String) });
  expect(claims.exp - claims.iat).toBe(ACCESS_TOKEN_TTL_SECONDS);
  const expiresAt = await page.getByTestId('expires-at').innerText();
  const cookieBefore = (await authCookies(context)).refresh?.value;
  expect(cookieBefore).toBeTruthy();

  // It counts down …
  const start = await secondsLeft();
  expect(start).toBeLessThanOrEqual(ACCESS_TOKEN_TTL_SECONDS);
  await expect.poll(secondsLeft).toBeLessThan(start - 1);

  // … and, with nobody touching the page, renews the token before it expires (the wait is the point).
  await expect(log.locator('li[data-kind="silent"]')).toHaveCount(1, { timeout: ONE_LIFETIME_MS });
  await expect(log.locator('li[data-kind="silent"]')).toContainText('Silent refresh');
  // The countdown started over, for a new token with a later expiry …
  await expect.poll(secondsLeft).toBeGreaterThan(ACCESS_TOKEN_TTL_SECONDS / 2);
  const renewed = await claimsNow();
  expect(renewed.jti).not.toBe(claims.jti);
  expect(renewed.exp).toBeGreaterThan(claims.exp);
  await expect(page.getByTestId('expires-at')).not.toHaveText(expiresAt);
  // … and the API rotated the refresh cookie the browser holds (HttpOnly: the page cannot see it).
  await expect.poll(async () => (await authCookies(context)).refresh?.value).not.toBe(cookieBefore);

  // It keeps doing so, lifetime after lifetime, and never lets the token run out.
  await expect(log.locator('li[data-kind="silent"]')).toHaveCount(2, { timeout: ONE_LIFETIME_MS });
  await expect(countdown).not.toHaveText('expired');
  // Only refreshes went out: no query was sent to trigger them, no request was refused.
  expect(graphql.operations().every((op) => op === 'RefreshAccessToken')).toBe(true);
  expect(graphql.operations()).toHaveLength(2);
  expect(graphql.unauthorized()).toEqual([]);
  await expect(log.locator('li[data-kind="failed"]')).toHaveCount(0);
  await expect(pageAlerts(page)).toHaveCount(0);
  await expectNoTokenInBrowserStorage(page);
});

test('"Call the API now" uses the token in memory and answers who you are', async ({ page }) => {
  const account = await signUp(page, undefined, '/token');
  await page.getByRole('button', { name: 'Call the API now' }).click();
  await expect(page.getByTestId('api-result')).toContainText(`you are ${account.email}`);
});

test('at 1100 px the decoded token stays inside the page column: long claims wrap', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 900 });
  await signUp(page, undefined, '/token');
  await expect(page.getByTestId('token-claims')).toBeVisible();

  const layout = await page.evaluate(() => {
    const column = document.querySelector('main') ?? document.body;
    const columnBox = column.getBoundingClientRect();
    const style = getComputedStyle(column);
    const columnRight = columnBox.right - Number.parseFloat(style.paddingRight);
    return ['token-header', 'token-claims'].map((id) => {
      const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
      return {
        id,
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
        right: el.getBoundingClientRect().right,
        columnRight,
        documentScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      };
    });
  });
  for (const panel of layout) {
    expect(panel.scrollWidth, `${panel.id} has no hidden overflow`).toBeLessThanOrEqual(panel.clientWidth);
    expect(panel.right, `${panel.id} ends inside the column`).toBeLessThanOrEqual(panel.columnRight + 0.5);
    expect(panel.documentScrolls, 'no horizontal page scroll').toBe(false);
  }
  // Every claim is still shown in full (wrapped, not cut).
  const claims = JSON.parse(await page.getByTestId('token-claims').innerText());
  expect(claims).toMatchObject({ fgp: expect.any(String), jti: expect.any(String), sub: expect.any(String) });
  if (process.env['TOKEN_SCREENSHOT']) await page.screenshot({ path: process.env['TOKEN_SCREENSHOT'], fullPage: true });
});
