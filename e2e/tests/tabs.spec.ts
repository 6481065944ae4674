// Several tabs of one browser share the cookies but not the memory: each has its own access token.
import { ACCESS_TOKEN_TTL_SECONDS } from '../support/env';
import { authCookies, expect, expectNoTokenInBrowserStorage, pageAlerts, recordGraphql, signUp, test } from '../support/fixtures';

test('signing out in one tab signs out every tab within a second', async ({ page, context }) => {
  const account = await signUp(page);
  const notesTab = await context.newPage();
  await notesTab.goto('/notes');
  const tokenTab = await context.newPage();
  await tokenTab.goto('/token');
  for (const tab of [notesTab, tokenTab]) {
    await expect(tab.getByTestId('current-user')).toHaveText(account.email);
  }

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(notesTab).toHaveURL(/\/signin/, { timeout: 1000 });
  await expect(tokenTab).toHaveURL(/\/signin/, { timeout: 1000 });

  for (const tab of [page, notesTab, tokenTab]) {
    await expect(tab.getByTestId('current-user')).toHaveCount(0);
    await expect(tab.getByText(account.email)).toHaveCount(0);
    await expectNoTokenInBrowserStorage(tab);
  }
  expect(await authCookies(context)).toEqual({ refresh: undefined, fingerprint: undefined });
});

test('two tabs whose tokens expire together both refresh and stay signed in', async ({ page, context }) => {
  await signUp(page);
  const other = await context.newPage();
  await other.goto('/notes');
  const logs = [recordGraphql(page), recordGraphql(other)];

  // Both tabs' tokens expire (the point of this wait) …
  await page.waitForTimeout(ACCESS_TOKEN_TTL_SECONDS * 1000 + 500);
  // … and both act at the same moment: each tab clicks "Add note" at the same wall-clock instant
  // (Playwright's own clicks would arrive one after the other).
  const tabs = [
    { tab: page, text: 'from tab one' },
    { tab: other, text: 'from tab two' },
  ];
  for (const { tab, text } of tabs) await tab.getByLabel('New note').fill(text);
  const at = Date.now() + 500;
  await Promise.all(
    tabs.map(({ tab }) =>
      tab.getByRole('button', { name: 'Add note' }).evaluate((button, when) => {
        setTimeout(() => (button as HTMLButtonElement).click(), when - Date.now());
      }, at),
    ),
  );
  for (const { tab, text } of tabs) {
    await expect(tab.getByRole('list', { name: 'Your notes' }).getByText(text)).toBeVisible();
  }

  for (const tab of [page, other]) {
    await expect(tab).toHaveURL(/\/notes$/);
    await expect(pageAlerts(tab)).toHaveCount(0);
  }
  const all = logs.flatMap((l) => l.log);
  expect(all.filter((e) => e.status === 401)).toEqual([]);

  // Each tab refreshed (its live notes stream renews ahead of expiry, so at least once per lifetime),
  // one refresh at a time across tabs (Web Locks): each presented the cookie its predecessor had just
  // received, so EVERY refresh rotated it — nobody fell back on the grace window.
  const refreshes = all.filter((e) => e.operation === 'RefreshAccessToken').sort((a, b) => a.start - b.start);
  for (const log of logs) {
    expect(log.operations().filter((op) => op === 'RefreshAccessToken').length).toBeGreaterThanOrEqual(1);
  }
  await expect.poll(() => refreshes.every((r) => r.status === 200 && r.setCookie)).toBe(true);
  for (let i = 1; i < refreshes.length; i++) {
    expect(refreshes[i]!.start).toBeGreaterThanOrEqual(refreshes[i - 1]!.end);
  }

  // The session is intact: a fresh SSR exchange in each tab still works.
  for (const tab of [page, other]) {
    await tab.reload();
    await expect(tab.getByText('from tab one')).toBeVisible();
    await expect(tab.getByText('from tab two')).toBeVisible();
  }
});
