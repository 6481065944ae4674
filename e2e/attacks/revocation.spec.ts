// "Sign out everywhere" must stop the ACCESS tokens of the other sessions at once, not only their
// refresh tokens (THREATS T48). tests/revocation.spec.ts › "sign out everywhere ends every session at
// once" walks it as a person sees it (the other device is sent to sign-in on its next action, and a
// reload does not sign it back in); but through the UI one cannot tell whether the refused request was
// the tab's still-valid access token or a refresh its link did first. This test pins that down: the
// open tab's own token, proven unexpired, is refused on its very next use.
import { ME } from '@app/shared';
import { claimsOf, expect, graphqlFromPage, stealAccessToken, test } from '../support/attacks';
import { signIn, signUp } from '../support/fixtures';

test('T48 after "sign out everywhere", an open tab elsewhere is refused its next request with its unexpired token', async ({
  page,
  browser,
}) => {
  const account = await signUp(page, undefined, '/sessions');
  const laptop = await browser.newContext();
  const openTab = await laptop.newPage();
  await signIn(openTab, account, '/notes');

  const token = await stealAccessToken(openTab); // what that tab holds in memory (read as an XSS would)
  expect(await graphqlFromPage(openTab, ME, token)).toMatchObject({ status: 200, data: { me: { email: account.email } } });

  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/signin\?reason=signed-out/);

  const refused = await graphqlFromPage(openTab, ME, token);
  expect(Date.now() / 1000, 'the token had not expired: the refusal is the revocation').toBeLessThan(claimsOf(token).exp);
  expect(refused).toEqual({ status: 401, codes: ['UNAUTHENTICATED'], data: null });
  await laptop.close();
});
