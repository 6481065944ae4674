// The life of one session, as a person lives it: sign up, use, reload, idle past the token's
// lifetime, use again, sign out, press Back.
import { ACCESS_TOKEN_TTL_SECONDS, WEB_ORIGIN } from '../support/env';
import {
  addNote,
  authCookies,
  expect,
  expectAuthCookiesFlags,
  expectNoTokenInBrowserStorage,
  pageAlerts,
  recordGraphql,
  signOutAndCheckBack,
  signUp,
  test,
} from '../support/fixtures';

test('sign up → notes → reload → past the TTL → add a note → sign out → Back shows nothing private', async ({ page, context }) => {
  const graphql = recordGraphql(page);
  const account = await signUp(page); // lands on /notes, rendered on the server
  await expectAuthCookiesFlags(context, WEB_ORIGIN);
  await expectNoTokenInBrowserStorage(page);

  const first = `first note ${Date.now()}`;
  await addNote(page, first);

  // Reload: the note is in the server's HTML, the response is private/no-store, and the refresh
  // cookie was rotated by the SSR exchange.
  const before = (await authCookies(context)).refresh?.value;
  const reloaded = await page.reload();
  expect(reloaded?.headers()['cache-control']).toBe('private, no-store');
  expect(await reloaded?.text()).toContain(first);
  const after = (await authCookies(context)).refresh?.value;
  expect(after).toBeTruthy();
  expect(after).not.toBe(before);
  await expect(page.getByText(first)).toBeVisible();
  await expectAuthCookiesFlags(context, WEB_ORIGIN);
  await expectNoTokenInBrowserStorage(page);

  // Idle past the access token's lifetime (the point of this wait), then act.
  const idleFrom = graphql.log.length;
  await page.waitForTimeout(ACCESS_TOKEN_TTL_SECONDS * 1000 + 500);
  const second = `second note ${Date.now()}`;
  await addNote(page, second);
  await expect(pageAlerts(page)).toHaveCount(0);
  expect(graphql.unauthorized(), 'no 401 in the network log').toEqual([]);
  // The page renewed its token by itself while idle (its live notes stream does so ahead of expiry),
  // so the note went out with a valid token and nothing was refused.
  const ops = graphql.operations().slice(idleFrom);
  expect(ops).toContain('RefreshAccessToken');
  expect(ops.indexOf('RefreshAccessToken')).toBeLessThan(ops.lastIndexOf('AddNote'));
  await expectNoTokenInBrowserStorage(page);

  // Leave the notes page with a normal navigation, so it stays in history behind us.
  await page.goto('/sessions');
  await signOutAndCheckBack(page, context, account, first);
});
