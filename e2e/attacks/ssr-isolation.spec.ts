// One user's server-rendered data in another user's page (THREATS T33). The web server renders pages
// for everybody in one process; anything per-person kept beyond one request (a shared Apollo client
// or cache, a module-level token) would put one person's notes or token into the next person's HTML
// under load. Two people, two browsers, many /notes renders at the same moment, interleaved on the
// server: each HTML, each page props (token included) and each hydrated page belongs to its reader.
import type { Page } from '@playwright/test';
import { claimsOf, expect, test } from '../support/attacks';
import { addNote, signUp, type Account } from '../support/fixtures';

const RENDERS_PER_PERSON = 8;

type Person = { page: Page; account: Account; note: string };

/** `count` concurrent full renders of /notes from the person's own page (their cookies, same origin). */
function renderNotes(page: Page, count: number): Promise<string[]> {
  return page.evaluate((count) => Promise.all(Array.from({ length: count }, () => fetch('/notes').then((r) => r.text()))), count);
}

/** What a rendered /notes HTML says about whose page it is. */
function whoseHtml(html: string) {
  const props = JSON.parse(/<script id="__NEXT_DATA__"[^>]*>(.*?)<\/script>/s.exec(html)![1]!).props.pageProps;
  return { token: props.auth.accessToken as string, cache: JSON.stringify(props.initialApolloState) };
}

function expectOnly(html: string, own: Person, other: Person, userId: string) {
  expect(html).toContain(own.note);
  expect(html).toContain(own.account.email);
  expect(html).not.toContain(other.note);
  expect(html).not.toContain(other.account.email);
  const { token, cache } = whoseHtml(html);
  expect(claimsOf(token).sub).toBe(userId);
  expect(cache).not.toContain(other.note);
}

test('T33 two people rendering /notes concurrently each get only their own notes and token', async ({ page, browser }) => {
  const other = await browser.newContext();
  const alice: Person = { page, account: await signUp(page), note: `alice's secret ${Date.now()}` };
  const bobPage = await other.newPage();
  const bob: Person = { page: bobPage, account: await signUp(bobPage), note: `bob's secret ${Date.now()}` };
  await addNote(alice.page, alice.note);
  await addNote(bob.page, bob.note);
  const userIdOf = async (p: Person) => claimsOf(whoseHtml((await renderNotes(p.page, 1))[0]!).token).sub;
  const ids = { alice: await userIdOf(alice), bob: await userIdOf(bob) };
  expect(ids.alice).not.toBe(ids.bob);

  // The HTML: both people's renders in flight on the server at the same time.
  const [aliceHtml, bobHtml] = await Promise.all([renderNotes(alice.page, RENDERS_PER_PERSON), renderNotes(bob.page, RENDERS_PER_PERSON)]);
  for (const html of aliceHtml) expectOnly(html, alice, bob, ids.alice);
  for (const html of bobHtml) expectOnly(html, bob, alice, ids.bob);

  // The hydrated pages: full loads side by side, a few rounds.
  for (let round = 0; round < 3; round++) {
    await Promise.all([alice.page.reload(), bob.page.reload()]);
    for (const [own, them] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      await expect(own.page.getByTestId('current-user')).toHaveText(own.account.email);
      await expect(own.page.getByRole('list', { name: 'Your notes' }).getByText(own.note)).toBeVisible();
      await expect(own.page.getByText(them.note)).toHaveCount(0);
      await expect(own.page.getByText(them.account.email)).toHaveCount(0);
    }
  }
  await other.close();
});
