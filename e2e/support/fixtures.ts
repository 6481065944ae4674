// Shared steps and checks. Every flow asserts what a person sees AND what the browser holds.
import { FINGERPRINT_COOKIE, REFRESH_COOKIE } from '@app/shared';
import { expect, test as base, type BrowserContext, type Page, type Response } from '@playwright/test';
import { randomBytes } from 'node:crypto';

export type Account = { email: string; password: string };

export function newAccount(): Account {
  return {
    email: `reader-${Date.now()}-${randomBytes(3).toString('hex')}@example.com`,
    password: 'correct horse battery staple',
  };
}

/** Sign up through the form and land on `next` (default /notes), rendered for the new account. */
export async function signUp(page: Page, account = newAccount(), next = '/notes'): Promise<Account> {
  await page.goto(`/signup?next=${encodeURIComponent(next)}`);
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => url.pathname === next);
  await expect(page.getByTestId('current-user')).toHaveText(account.email);
  return account;
}

export async function signIn(page: Page, account: Account, next = '/notes'): Promise<void> {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === next);
  await expect(page.getByTestId('current-user')).toHaveText(account.email);
}

export async function addNote(page: Page, text: string): Promise<void> {
  await page.getByLabel('New note').fill(text);
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByRole('list', { name: 'Your notes' }).getByText(text)).toBeVisible();
  await expect(page.getByLabel('New note')).toHaveValue('');
}

/** The auth cookies as the browser holds them. */
export async function authCookies(context: BrowserContext) {
  const cookies = await context.cookies();
  return {
    refresh: cookies.find((c) => c.name === REFRESH_COOKIE),
    fingerprint: cookies.find((c) => c.name === FINGERPRINT_COOKIE),
  };
}

/** THREATS T23: __Host-, Secure, HttpOnly, SameSite, Path=/, host-only (no Domain). */
export async function expectAuthCookiesFlags(context: BrowserContext, origin: string): Promise<void> {
  const { refresh, fingerprint } = await authCookies(context);
  for (const cookie of [refresh, fingerprint]) {
    expect(cookie, 'auth cookie present').toBeDefined();
    expect(cookie).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/',
      // Host-only: the exact host, no leading dot (a Domain attribute would produce ".host").
      domain: new URL(origin).hostname,
    });
  }
}

/**
 * THREATS T14/T30: no token anywhere script can read or that outlives the page: no web storage, no
 * IndexedDB, no auth cookie in document.cookie.
 */
export async function expectNoTokenInBrowserStorage(page: Page): Promise<void> {
  const held = await page.evaluate(async () => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    indexedDb: (await indexedDB.databases()).map((d) => d.name),
    cookie: document.cookie,
  }));
  expect(held).toEqual({ local: [], session: [], indexedDb: [], cookie: '' });
}

/** Everything the page's GraphQL traffic did: operation names and statuses, in order. */
export function recordGraphql(page: Page) {
  const log: { operation: string; status: number; setCookie: boolean; start: number; end: number }[] = [];
  const starts = new Map<object, number>();
  page.on('request', (req) => {
    if (req.url().endsWith('/api/graphql')) starts.set(req, Date.now());
  });
  page.on('response', (res: Response) => {
    const req = res.request();
    if (!req.url().endsWith('/api/graphql')) return;
    const end = Date.now();
    const entry = {
      operation: (req.postDataJSON() as { operationName?: string } | null)?.operationName ?? '?',
      status: res.status(),
      setCookie: false,
      start: starts.get(req) ?? 0,
      end,
    };
    log.push(entry);
    void res.allHeaders().then((headers) => {
      entry.setCookie = 'set-cookie' in headers;
    });
  });
  return {
    log,
    operations: () => log.map((e) => e.operation),
    unauthorized: () => log.filter((e) => e.status === 401),
  };
}

/** CSP violations the browser reports on the console, in every page of a context (THREATS T29). */
export function watchCspViolations(context: BrowserContext): string[] {
  const violations: string[] = [];
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/**
 * `test` with two automatic checks on the default context: the production CSP is never violated by
 * the app itself, and no page of it ever puts anything into web storage.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const violations = watchCspViolations(context);
      await use(violations);
      expect(violations, 'no CSP violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Try to add a note when the session is gone: the page must end up on /signin, not show an error. */
export async function addNoteExpectingSignOut(page: Page, text: string, options: { timeout?: number } = {}): Promise<void> {
  await page.getByLabel('New note').fill(text, options);
  await page.getByRole('button', { name: 'Add note' }).click(options);
  await page.waitForURL(/\/signin/, options);
}

/**
 * Sign out from the current page, then press Back to the /notes entry behind it: the browser must
 * end on the sign-in page with nothing private visible (THREATS T27, T31).
 */
export async function signOutAndCheckBack(page: Page, context: BrowserContext, account: Account, privateText: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL('**/signin?reason=signed-out');
  await expect(page.getByRole('status')).toHaveText('You have signed out.');
  // T27: both cookies cleared.
  expect(await authCookies(context)).toEqual({ refresh: undefined, fingerprint: undefined });
  await expectNoTokenInBrowserStorage(page);

  await page.goBack();
  await expect(page).toHaveURL(/\/signin\?next=%2Fnotes/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText(privateText)).toHaveCount(0);
  await expect(page.getByText(account.email)).toHaveCount(0);
}

/**
 * Error messages the app shows in the page. (Scoped to <main>: Next.js keeps an always-present
 * role="alert" route announcer outside it.)
 */
export function pageAlerts(page: Page) {
  return page.getByRole('main').getByRole('alert');
}
