// /token shows the mechanism: a countdown to expiry and a log of where each token came from.
import { ACCESS_TOKEN_TTL_SECONDS } from '../support/env';
import { expect, expectNoTokenInBrowserStorage, signUp, test } from '../support/fixtures';

test('the token inspector counts down and logs a silent refresh', async ({ page }) => {
  const account = await signUp(page, undefined, '/token');
  const countdown = page.getByTestId('expires-in');
  const secondsLeft = async () => Number.parseFloat(await countdown.innerText());
  const log = page.getByTestId('refresh-log');

  // The token came from the server-side exchange, with the cookie rotated.
  await expect(log.locator('li[data-kind="ssr"]')).toHaveCount(1);
  await expect(log.locator('li[data-kind="ssr"]')).toContainText('refresh cookie was rotated');
  const header = JSON.parse(await page.getByTestId('token-header').innerText());
  const claims = JSON.parse(await page.getByTestId('token-claims').innerText());
  expect(header.alg).toBe('EdDSA');
  expect(claims).toMatchObject({ fgp: expect.any(String), jti: expect.any(String) });
  expect(claims.exp - claims.iat).toBe(ACCESS_TOKEN_TTL_SECONDS);

  // It counts down …
  const start = await secondsLeft();
  expect(start).toBeLessThanOrEqual(ACCESS_TOKEN_TTL_SECONDS);
  await expect.poll(secondsLeft).toBeLessThan(start - 1);
  // … to expiry (waiting for the displayed state, up to the TTL: the point of this test).
  await expect(countdown).toHaveText('expired', { timeout: ACCESS_TOKEN_TTL_SECONDS * 1000 + 2000 });

  // Using the API now refreshes silently first; the log shows it, the countdown starts over.
  await page.getByRole('button', { name: 'Call the API now' }).click();
  await expect(page.getByTestId('api-result')).toContainText(`you are ${account.email}`);
  await expect(log.locator('li[data-kind="silent"]')).toHaveCount(1);
  expect(await secondsLeft()).toBeGreaterThan(ACCESS_TOKEN_TTL_SECONDS / 2);
  const refreshed = JSON.parse(await page.getByTestId('token-claims').innerText());
  expect(refreshed.jti).not.toBe(claims.jti);
  await expectNoTokenInBrowserStorage(page);
});
