// Forms: labelled fields, validation messages, disabled while submitting, API errors shown clearly.
import { WEB_ORIGIN } from '../support/env';
import { expect, newAccount, pageAlerts, signUp, test } from '../support/fixtures';

test('sign-up validates before sending and shows the API error for a taken e-mail', async ({ page, browser }) => {
  await page.goto('/signup');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter your e-mail address.')).toBeVisible();
  await expect(page.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('E-mail').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter a valid e-mail address, like name@example.com.')).toBeVisible();
  await expect(page.getByText('Use at least 8 characters.')).toBeVisible();

  // An e-mail that already has an account: whatever the API answers is shown, nothing else happens.
  const other = await browser.newPage();
  const taken = await signUp(other);
  await other.close();
  await page.getByLabel('E-mail').fill(taken.email);
  await page.getByLabel('Password').fill('another long passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(pageAlerts(page)).toBeVisible();
  await expect(page).toHaveURL(/\/signup/);
});

test('sign-in: wrong password says so without detail; the form is disabled while submitting', async ({ page }) => {
  const account = await signUp(page);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL('**/signin?reason=signed-out');

  // Hold the request briefly (it still reaches the real API) to observe the in-flight state.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/graphql', async (route) => {
    await held;
    await route.continue();
  });
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill('definitely the wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign in…' })).toBeDisabled();
  await expect(page.getByLabel('Password')).toBeDisabled();
  release();

  const alert = pageAlerts(page);
  await expect(alert).toBeVisible();
  await page.unrouteAll({ behavior: 'wait' });
  const wrongPasswordMessage = await alert.innerText();
  await expect(page.getByLabel('Password')).toBeEnabled();

  // Same message for an unknown e-mail (THREATS T41).
  await page.getByLabel('E-mail').fill(newAccount().email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alert).toHaveText(wrongPasswordMessage);

  // And the right password gets in.
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(page.getByTestId('me-email')).toHaveText(account.email);
});

test('sign-in never redirects off the site (THREATS T32)', async ({ page }) => {
  const account = await signUp(page);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL('**/signin?reason=signed-out');
  for (const next of ['https://evil.example/', '//evil.example', '/\\evil.example']) {
    await page.goto(`/signin?next=${encodeURIComponent(next)}`);
    await page.getByLabel('E-mail').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(new URL(page.url()).origin).toBe(WEB_ORIGIN);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL('**/signin?reason=signed-out');
  }
});
