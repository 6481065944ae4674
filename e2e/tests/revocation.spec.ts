// Ending sessions from elsewhere: revoking one device, and signing out everywhere (THREATS T47, T48).
import type { Browser, Page } from '@playwright/test';
import {
  addNoteExpectingSignOut,
  authCookies,
  expect,
  newAccount,
  signIn,
  signUp,
  test,
  watchCspViolations,
  type Account,
} from '../support/fixtures';

const SESSION_ENDED = /\/signin\?next=%2Fnotes&reason=session-ended/;

async function secondDevice(browser: Browser, account: Account) {
  const context = await browser.newContext();
  const csp = watchCspViolations(context);
  const page = await context.newPage();
  await signIn(page, account, '/notes');
  return { context, page, csp };
}

async function expectSessionEndedOnNextAction(device: Page) {
  // Its access token has not expired; the API refuses it because the session is revoked.
  // The e2e tokens live 6 s: on a slow run the device's own silent refresh can come first. It is
  // refused too and signs the device out by itself; that is the one other ending accepted here.
  try {
    await addNoteExpectingSignOut(device, 'written after revocation', { timeout: 10_000 });
  } catch (error) {
    if (!SESSION_ENDED.test(device.url())) throw error;
  }
  await expect(device).toHaveURL(SESSION_ENDED);
  await expect(device.getByRole('status')).toHaveText('Your session has ended. Please sign in again.');
  // And its refresh token is dead too: a reload does not sign it back in.
  await device.goto('/notes');
  await expect(device).toHaveURL(/\/signin\?next=%2Fnotes/);
}

test('a device revoked from /sessions is signed out on its next action', async ({ page, browser }) => {
  const account = await signUp(page, newAccount(), '/sessions');
  const device = await secondDevice(browser, account);

  await page.reload();
  const sessions = page.getByTestId('session');
  await expect(sessions).toHaveCount(2);
  await expect(sessions.filter({ hasText: 'This device' })).toHaveCount(1);
  await sessions
    .filter({ hasNotText: 'This device' })
    .getByRole('button', { name: /^Revoke/ })
    .click();
  await expect(sessions).toHaveCount(1);

  await expectSessionEndedOnNextAction(device.page);

  // The device that revoked is unaffected.
  await page.reload();
  await expect(page.getByTestId('current-user')).toHaveText(account.email);
  await expect(sessions).toHaveCount(1);
  expect(device.csp).toEqual([]);
  await device.context.close();
});

test('sign out everywhere ends every session at once', async ({ page, context, browser }) => {
  const account = await signUp(page, newAccount(), '/sessions');
  const sameBrowserTab = await context.newPage();
  await sameBrowserTab.goto('/notes');
  const device = await secondDevice(browser, account);

  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/signin\?reason=signed-out/);
  await expect(sameBrowserTab).toHaveURL(/\/signin/, { timeout: 1000 });
  expect(await authCookies(context)).toEqual({ refresh: undefined, fingerprint: undefined });

  await expectSessionEndedOnNextAction(device.page);
  expect(device.csp).toEqual([]);
  await device.context.close();
});
