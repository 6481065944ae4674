// What the attack suite (e2e/attacks) needs besides the flow fixtures: an attacker's web site on two
// other origins, and the things an attacker's script could read or do in a page.
import { CSRF_HEADER, FINGERPRINT_CLAIM, SIGN_UP } from '@app/shared';
import type { APIRequestContext, BrowserContext, Page } from '@playwright/test';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEB_ORIGIN } from './env';
import { authCookies, expect, newAccount, test as base, type Account } from './fixtures';

/**
 * The attacker's web site: one tiny HTTP server on the loopback interface, reached under two names.
 * The app runs on http://localhost:<web port>, so:
 *  - `crossSite`, http://127.0.0.1:<port>, is another SITE (a different host; an IP address is its own
 *    site). The browser sends no SameSite=Strict cookie on its requests to the app, so SameSite alone
 *    already stops most of what it tries — the attacks from here show the app is safe for a browser
 *    that enforces SameSite, and say nothing about the other defences.
 *  - `sameSite`, http://localhost:<port>, is the SAME site (same scheme and host; the port does not count
 *    for "site", nor for cookies) but another ORIGIN: think of another app on the same host. Its
 *    requests to the app DO carry the Strict auth cookies, so every attack from here is stopped by the
 *    app's own defences (CSRF header, JSON-only bodies, CORS allow-list, frame-ancestors …) or not at all.
 */
export type AttackerSite = {
  readonly crossSite: string;
  readonly sameSite: string;
  /** Serves `html` at a new path (on both names); returns the path. */
  publish(html: string): string;
};

export const ATTACKER_ORIGINS = ['sameSite', 'crossSite'] as const;
export type AttackerOrigin = (typeof ATTACKER_ORIGINS)[number];

/** `test` from ./fixtures (CSP watch included) plus `attacker`, one server for the whole run. */
export const test = base.extend<object, { attacker: AttackerSite }>({
  attacker: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring
    async ({}, use) => {
      const pages = new Map<string, string>();
      const server = createServer((req, res) => {
        const html = pages.get((req.url ?? '/').split('?', 1)[0]!);
        res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(html ?? 'not found');
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      await use({
        crossSite: `http://127.0.0.1:${port}`,
        sameSite: `http://localhost:${port}`,
        publish(html) {
          const path = `/page-${pages.size + 1}`;
          pages.set(path, html);
          return path;
        },
      });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    { scope: 'worker' },
  ],
});

export { expect };

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escape text for an HTML attribute value or element content. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

// ---------------------------------------------------------------------------------------------
// What an XSS in the victim's page can reach
// ---------------------------------------------------------------------------------------------

/**
 * The access token as an attacker's script in the page reads it: from the server-rendered page props
 * (`__NEXT_DATA__`), where every protected page hands it to the tab. Run on a protected page.
 */
export async function stealAccessToken(page: Page): Promise<string> {
  const token = await page.evaluate(() => {
    const data = JSON.parse(document.getElementById('__NEXT_DATA__')?.textContent ?? '{}');
    return data?.props?.pageProps?.auth?.accessToken as string | undefined;
  });
  expect(token, 'an access token in the page props').toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  return token!;
}

/** A JWT's claims, decoded (not verified). */
export function claimsOf(jwt: string): Record<string, unknown> & { exp: number; sub: string } {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}

export const fingerprintClaimOf = (jwt: string) => claimsOf(jwt)[FINGERPRINT_CLAIM] as string;

export type GraphqlAnswer = { status: number; codes: string[]; data: Record<string, unknown> | null };

/**
 * A GraphQL request made by script in `page`, exactly as the app makes them (same-origin POST to
 * /api/graphql, CSRF header, the browser's cookies), with `Authorization: Bearer <token>` if given.
 */
export async function graphqlFromPage(page: Page, query: string, bearer?: string): Promise<GraphqlAnswer> {
  return page.evaluate(
    async ({ query, bearer, csrfHeader }) => {
      const response = await fetch('/api/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [csrfHeader]: '1',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify({ query }),
      });
      const body = await response.json();
      return {
        status: response.status,
        codes: (body.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code),
        data: body.data ?? null,
      };
    },
    { query, bearer, csrfHeader: CSRF_HEADER },
  );
}

// ---------------------------------------------------------------------------------------------
// "Nothing changed": the victim's session after an attack
// ---------------------------------------------------------------------------------------------

export type SessionCookies = { refresh: string | undefined; fingerprint: string | undefined };

export async function sessionCookies(context: BrowserContext): Promise<SessionCookies> {
  const { refresh, fingerprint } = await authCookies(context);
  return { refresh: refresh?.value, fingerprint: fingerprint?.value };
}

/**
 * The victim's session is exactly as it was before the attack:
 *  - the browser holds the same refresh and fingerprint cookies (nothing rotated, nothing cleared);
 *  - the refresh token in them is still the LIVE one: opening a page rotates it. Had a forged
 *    refreshAccessToken run without the browser keeping the answer, the token would be spent
 *    already and the page load would get a grace-window answer with no new cookie; had signOut
 *    run, it would land on /signin.
 */
export async function expectSessionUntouched(page: Page, account: Account, before: SessionCookies): Promise<void> {
  expect(before.refresh, 'the victim was signed in').toBeTruthy();
  expect(await sessionCookies(page.context()), 'same cookies as before the attack').toEqual(before);
  await page.goto('/notes');
  await expect(page.getByTestId('current-user')).toHaveText(account.email);
  expect((await sessionCookies(page.context())).refresh, 'the refresh token was still live and rotated now').not.toBe(before.refresh);
}

// ---------------------------------------------------------------------------------------------
// Observing the browser
// ---------------------------------------------------------------------------------------------

export type CspViolationEvent = { directive: string; blocked: string };

/**
 * The `securitypolicyviolation` events of every document `page` loads from now on (registered before
 * any of the page's scripts run).
 */
export async function recordCspViolationEvents(page: Page): Promise<CspViolationEvent[]> {
  const events: CspViolationEvent[] = [];
  await page.exposeFunction('__reportCspViolation', (event: CspViolationEvent) => void events.push(event));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation(v: CspViolationEvent): void }).__reportCspViolation;
      report({ directive: e.effectiveDirective, blocked: e.blockedURI });
    });
  });
  return events;
}

/** Every `alert`/`confirm`/`prompt` any page of the context opens (dismissed), by message. */
export function recordDialogs(context: BrowserContext): string[] {
  const dialogs: string[] = [];
  context.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

/**
 * Every write any page of `context` makes through the storage APIs — localStorage/sessionStorage
 * setItem, indexedDB.open, caches.open, document.cookie = … — from now on, across navigations.
 * Catches a value written and removed again between two snapshots.
 */
export async function trapStorageWrites(context: BrowserContext): Promise<string[]> {
  const writes: string[] = [];
  await context.exposeFunction('__reportStorageWrite', (what: string) => void writes.push(what));
  await context.addInitScript(() => {
    const report = (what: string) => (window as unknown as { __reportStorageWrite(w: string): void }).__reportStorageWrite(what);
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      report(`${this === window.localStorage ? 'localStorage' : 'sessionStorage'}.setItem(${key})`);
      setItem.call(this, key, value);
    };
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (name: string, version?: number) {
      report(`indexedDB.open(${name})`);
      return open.call(this, name, version);
    };
    const openCache = CacheStorage.prototype.open;
    CacheStorage.prototype.open = function (name: string) {
      report(`caches.open(${name})`);
      return openCache.call(this, name);
    };
    const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
    Object.defineProperty(Document.prototype, 'cookie', {
      ...cookie,
      set(value: string) {
        report(`document.cookie = ${value.split('=', 1)[0]}=…`);
        cookie.set!.call(this, value);
      },
    });
  });
  return writes;
}

/** A new account made through the API (no browser, no page), for tests that only need to sign in. */
export async function signUpViaApi(request: APIRequestContext, account = newAccount()): Promise<Account> {
  const response = await request.post(`${WEB_ORIGIN}/api/graphql`, {
    headers: { [CSRF_HEADER]: '1' },
    data: { query: SIGN_UP, variables: account },
  });
  expect(response.status(), await response.text()).toBe(200);
  return account;
}
