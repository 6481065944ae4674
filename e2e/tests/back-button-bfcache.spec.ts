// THREATS T31 with the back/forward cache on, as in everyday browsers (Playwright turns it off by
// default). A bfcache restore does not ask the server; the app must still show nothing private.
import { CHROMIUM_LAUNCH_OPTIONS } from '../support/env';
import { addNote, signOutAndCheckBack, signUp, test } from '../support/fixtures';

test.use({
  launchOptions: { ...CHROMIUM_LAUNCH_OPTIONS, ignoreDefaultArgs: ['--disable-back-forward-cache'] },
});

test('after sign-out, Back does not bring a private page back from the bfcache', async ({ page, context }) => {
  const account = await signUp(page);
  const note = `bfcache note ${Date.now()}`;
  await addNote(page, note);
  await page.goto('/sessions');
  await signOutAndCheckBack(page, context, account, note);
});
