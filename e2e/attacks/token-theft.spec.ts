// Token sidejacking (THREATS T12, T14; OWASP JWT Cheat Sheet, "Token Sidejacking"). The attacker has
// script in the victim's page (an XSS) and takes the access token from the page's memory — the one
// place it lives. What keeps the token useless elsewhere: every request with a bearer token must also
// carry the fingerprint cookie whose SHA-256 is the token's `fgp` claim, and that cookie is HttpOnly.
import { ME } from '@app/shared';
import { expect, fingerprintClaimOf, graphqlFromPage, sessionCookies, stealAccessToken, test } from '../support/attacks';
import { WEB_ORIGIN } from '../support/env';
import { addNote, authCookies, expectNoTokenInBrowserStorage, signUp } from '../support/fixtures';

test('T12 an access token stolen from the page and replayed from another browser → 401; the victim carries on', async ({
  page,
  browser,
}) => {
  const victim = await signUp(page);
  const stolen = await stealAccessToken(page);

  // The attacker's own browser: no cookies of the victim, so no fingerprint cookie.
  const attackerContext = await browser.newContext();
  const attacker = await attackerContext.newPage();
  await attacker.goto('/signin');
  const replayed = await graphqlFromPage(attacker, ME, stolen);
  expect(replayed).toEqual({ status: 401, codes: ['UNAUTHENTICATED'], data: null });
  await attackerContext.close();

  // The same token is still good where it belongs (it had not expired: the 401 was the fingerprint) …
  const legitimate = await graphqlFromPage(page, ME, stolen);
  expect(legitimate).toMatchObject({ status: 200, codes: [], data: { me: { email: victim.email } } });
  // … and the victim's session was not disturbed by the attempt.
  await addNote(page, `written after the replay ${Date.now()}`);
});

test('T14 script never sees an auth cookie, and cannot overwrite the HttpOnly fingerprint', async ({ page, context }) => {
  const victim = await signUp(page);
  await expectNoTokenInBrowserStorage(page); // includes document.cookie === ''
  const before = await sessionCookies(context);

  // The XSS tries to replace the fingerprint with a value it knows (and would then mint matching
  // requests from elsewhere). The browser keeps the HttpOnly cookie: script may not overwrite it
  // (RFC 6265bis §5.7 step 14), and says nothing.
  const seenByScript = await page.evaluate(() => {
    document.cookie = '__Host-fingerprint=chosen-by-attacker; Path=/; Secure; SameSite=Strict';
    document.cookie = '__Host-refresh=chosen-by-attacker; Path=/; Secure; SameSite=Strict';
    return document.cookie;
  });
  expect(seenByScript).toBe('');
  const { fingerprint, refresh } = await authCookies(context);
  expect(fingerprint).toMatchObject({ value: before.fingerprint, httpOnly: true });
  expect(refresh).toMatchObject({ value: before.refresh, httpOnly: true });

  await page.reload();
  await expect(page.getByTestId('current-user')).toHaveText(victim.email);
  await expectNoTokenInBrowserStorage(page);
});

test('T14 a fingerprint cookie written by script to match a stolen token does not make it work → 401', async ({ page, browser }) => {
  await signUp(page);
  const stolen = await stealAccessToken(page);
  const fgp = fingerprintClaimOf(stolen); // SHA-256 of the real cookie: all the token reveals

  // In the attacker's browser there is no HttpOnly fingerprint in the way, so script on the app's
  // origin CAN set one (http://localhost counts as secure, so even __Host-/Secure is accepted) — but
  // only with a value it knows, and the token holds just the hash of the real one.
  const attackerContext = await browser.newContext();
  const attacker = await attackerContext.newPage();
  await attacker.goto('/signin');
  await attacker.evaluate((value) => {
    document.cookie = `__Host-fingerprint=${value}; Path=/; Secure; SameSite=Strict`;
  }, fgp);
  expect(await attackerContext.cookies(WEB_ORIGIN)).toEqual([
    expect.objectContaining({ name: '__Host-fingerprint', value: fgp, httpOnly: false }),
  ]);

  const replayed = await graphqlFromPage(attacker, ME, stolen);
  expect(replayed).toEqual({ status: 401, codes: ['UNAUTHENTICATED'], data: null });
  await attackerContext.close();
});
