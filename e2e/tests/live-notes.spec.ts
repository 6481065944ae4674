// A tab with a live subscription outlives its access tokens: the API closes a socket at its token's
// `exp` (4401), so the tab renews the token ahead of time and moves its stream to a new socket; notes
// written meanwhile — including at the very moments the socket is replaced — all arrive.
import { ADD_NOTE, CSRF_HEADER, REFRESH_ACCESS_TOKEN } from '@app/shared';
import type { Page } from '@playwright/test';
import { ACCESS_TOKEN_TTL_SECONDS } from '../support/env';
import { expect, pageAlerts, recordGraphql, signIn, signUp, test } from '../support/fixtures';

/** Three access-token lifetimes and a bit: the reader's stream must cross at least three renewals. */
const WATCH_MS = 3 * ACCESS_TOKEN_TTL_SECONDS * 1000 + 2000;

/**
 * Another device of the same person, writing notes with plain requests from a page of the app's
 * origin (its own session, cookies and token; the token kept in this script only for the test).
 */
async function writerOn(page: Page) {
  return async (text: string) =>
    page.evaluate(
      async ({ text, csrfHeader, refreshQuery, addNoteQuery }) => {
        const w = window as unknown as { writerToken?: { jwt: string; at: number } };
        const post = async (body: object, bearer?: string) => {
          const response = await fetch('/api/graphql', {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              [csrfHeader]: '1',
              ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
            },
            body: JSON.stringify(body),
          });
          return (await response.json()) as { data?: Record<string, { accessToken?: string }> };
        };
        if (!w.writerToken || Date.now() - w.writerToken.at > 3000) {
          const answer = await post({ operationName: 'RefreshAccessToken', query: refreshQuery });
          const jwt = answer.data?.['refreshAccessToken']?.accessToken;
          if (!jwt) throw new Error(`writer could not refresh: ${JSON.stringify(answer)}`);
          w.writerToken = { jwt, at: Date.now() };
        }
        const added = await post({ query: addNoteQuery, variables: { text } }, w.writerToken.jwt);
        if (!added.data?.['addNote']) throw new Error(`writer could not add a note: ${JSON.stringify(added)}`);
      },
      { text, csrfHeader: CSRF_HEADER, refreshQuery: REFRESH_ACCESS_TOKEN, addNoteQuery: ADD_NOTE },
    );
}

test('a live notes page stays signed in across token lifetimes and misses no note written meanwhile', async ({ page, browser }) => {
  test.setTimeout(WATCH_MS + 60_000);
  const socketsOpenedAt: number[] = [];
  page.on('websocket', () => socketsOpenedAt.push(Date.now()));
  const account = await signUp(page); // the reader, on /notes
  const reader = recordGraphql(page);
  const list = page.getByRole('list', { name: 'Your notes' });
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });

  // The writer: a second device, signed in as the same person, standing on a page without a session.
  const writerContext = await browser.newContext();
  const writerPage = await writerContext.newPage();
  await signIn(writerPage, account, '/sessions');
  await writerPage.goto('/no-such-page');
  const write = await writerOn(writerPage);

  // The live stream is up: a note written now appears without any action here.
  await write('first live note');
  await expect(list.getByText('first live note', { exact: true })).toBeVisible();
  expect(socketsOpenedAt.length).toBeGreaterThanOrEqual(1);

  // Write steadily for three lifetimes — and at once whenever the reader renews its token, i.e. while
  // its socket is being replaced.
  let renewing = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/api/graphql') && request.postDataJSON()?.operationName === 'RefreshAccessToken') {
      renewing += 1;
    }
  });
  const written: string[] = [];
  const until = Date.now() + WATCH_MS;
  let seen = 0;
  while (Date.now() < until) {
    const text = `note ${written.length + 1} at ${Date.now()}`;
    await write(text);
    written.push(text);
    if (renewing > seen) {
      seen = renewing; // the reader is renewing right now: write again straight away
      continue;
    }
    await page.waitForTimeout(400);
  }

  // Every note is on the page, live: no reload, no navigation, no sign-out, no error.
  for (const text of written) await expect(list.getByText(text, { exact: true })).toBeVisible();
  await expect(list.getByRole('listitem')).toHaveCount(written.length + 1);
  expect(navigations, 'the page was never reloaded or left').toBe(0);
  await expect(page).toHaveURL(/\/notes$/);
  await expect(page.getByTestId('current-user')).toHaveText(account.email);
  await expect(pageAlerts(page)).toHaveCount(0);
  expect(reader.unauthorized(), 'no request of the reader was refused').toEqual([]);

  // It got there by renewing ahead of expiry, once per lifetime, each time moving to a new socket at
  // once — not when the server closes the old one at its token's `exp` (4401), which comes up to a
  // refresh margin (a quarter of the lifetime, 1.5 s here) after the renewal, and would also pass the
  // checks above.
  const renewals = reader.log.filter((e) => e.operation === 'RefreshAccessToken');
  expect(renewals.length).toBeGreaterThanOrEqual(3);
  // Within half a second of the answer (moving takes a close handshake and a connect on loopback,
  // tens of ms); a socket that was already connecting when the renewal left, and waited for it
  // before sending its connection_init, counts from half a second before. The server's 4401 comes
  // 0.5–1.5 s after a renewal (the token's `exp` is in whole seconds), hence not "at once".
  const MOVED_WITHIN_MS = 500;
  const movedAtOnce = (r: { start: number; end: number }) =>
    socketsOpenedAt.some((at) => at >= (r.start || r.end) - MOVED_WITHIN_MS && at <= r.end + MOVED_WITHIN_MS);
  // Polled: the renewal that has just answered opens its socket a round trip later.
  await expect
    .poll(() => renewals.filter((r) => !movedAtOnce(r)).length, { message: 'renewals not followed by a new socket at once' })
    .toBe(0);
  await writerContext.close();
});
