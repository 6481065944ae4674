// The Content Security Policy as the last line against XSS (THREATS T29; OWASP CSP Cheat Sheet).
// Production pages allow only scripts that carry this response's nonce, plus what those load
// ('strict-dynamic'); no 'unsafe-inline', no 'unsafe-eval'. To test the policy rather than the
// escaping (T28), the markup an XSS would produce is put into the server's real HTML on its way to the
// browser (page.route; the real response headers, CSP included, are kept) or into the live DOM, and
// the browser's own report of the refusal — the `securitypolicyviolation` event and its console
// message — is what the tests observe.
import type { Page } from '@playwright/test';
import { expect, recordCspViolationEvents, test } from '../support/attacks';
import { WEB_ORIGIN } from '../support/env';
import { addNote, signUp } from '../support/fixtures';

/** Serve `path` with `markup` inserted at the start of <body>, as an injection bug in the server would. */
async function injectIntoHtml(page: Page, path: string, markup: string): Promise<void> {
  await page.route(`${WEB_ORIGIN}${path}`, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const html = (await response.text()).replace(/<body[^>]*>/, (body) => body + markup);
    await route.fulfill({ response, body: html });
  });
}

const xssRan = (page: Page) => page.evaluate(() => (window as { __xss?: unknown }).__xss);

/** script-src of a response's CSP. */
function scriptSrc(csp: string | undefined): string {
  return (
    csp
      ?.split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src ')) ?? ''
  );
}

test('T29 an inline <script> injected into a signed-in page is refused (CSP violation); the app still works', async ({
  page,
  cspViolations,
}) => {
  const account = await signUp(page);
  const events = await recordCspViolationEvents(page);
  await injectIntoHtml(page, '/notes', `<script>window.__xss = 'inline'</script>`);

  const response = await page.goto('/notes');
  await expect.poll(() => events).toEqual([{ directive: 'script-src-elem', blocked: 'inline' }]);
  expect(await xssRan(page)).toBeUndefined();
  expect(cspViolations.splice(0)).toEqual([expect.stringContaining('Executing inline script violates')]);
  // The app's own (nonce-carrying) scripts ran: the page is hydrated and signed in.
  await expect(page.getByTestId('current-user')).toHaveText(account.email);
  await addNote(page, 'the app still works');

  // The policy that did it: a nonce, 'strict-dynamic', and neither unsafe-inline nor unsafe-eval.
  const policy = scriptSrc(response!.headers()['content-security-policy']);
  expect(policy).toMatch(/'nonce-[A-Za-z0-9+/]{22}=='/);
  expect(policy).toContain("'strict-dynamic'");
  expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
});

test('T29 an injected inline event handler (onerror=) is refused (CSP violation)', async ({ page, cspViolations }) => {
  const events = await recordCspViolationEvents(page);
  await page.goto('/signin');
  // What a page that put attacker text into innerHTML would do.
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', `<img src="/no-such-image" onerror="window.__xss = 'onerror'">`);
  });
  await expect.poll(() => events).toEqual([{ directive: 'script-src-attr', blocked: 'inline' }]);
  expect(await xssRan(page)).toBeUndefined();
  expect(cspViolations.splice(0)).toEqual([expect.stringContaining('Executing inline event handler violates')]);
});

test('T29 an injected <script src> is refused, from another origin or from our own', async ({ page, cspViolations }) => {
  const events = await recordCspViolationEvents(page);
  const requested: string[] = [];
  await page.route('https://evil.example/**', (route) => {
    requested.push(route.request().url());
    return route.abort();
  });
  // 'strict-dynamic' makes the browser ignore host allow-lists, 'self' included: an attacker cannot
  // point a <script> at some same-origin URL that happens to return script-like text either.
  await injectIntoHtml(
    page,
    '/signin',
    `<script src="https://evil.example/steal.js"></script><script src="/api/graphql?query=%7B__typename%7D"></script>`,
  );
  await page.goto('/signin');
  await expect
    .poll(() => events)
    .toEqual([
      { directive: 'script-src-elem', blocked: 'https://evil.example/steal.js' },
      { directive: 'script-src-elem', blocked: `${WEB_ORIGIN}/api/graphql?query=%7B__typename%7D` },
    ]);
  expect(requested, 'refused before any request').toEqual([]);
  expect(cspViolations.splice(0)).toEqual([
    expect.stringContaining("Loading the script 'https://evil.example/steal.js' violates"),
    expect.stringContaining(`Loading the script '${WEB_ORIGIN}/api/graphql?query=%7B__typename%7D' violates`),
  ]);
});

test('T29 an injected script carrying a nonce from an earlier response is refused (a new nonce per response)', async ({
  page,
  cspViolations,
}) => {
  const events = await recordCspViolationEvents(page);
  const earlier = await page.goto('/signin');
  const oldNonce = /'nonce-([^']+)'/.exec(scriptSrc(earlier!.headers()['content-security-policy']))![1]!;

  await injectIntoHtml(page, '/signin', `<script nonce="${oldNonce}">window.__xss = 'old nonce'</script>`);
  const next = await page.goto('/signin');
  await expect.poll(() => events).toEqual([{ directive: 'script-src-elem', blocked: 'inline' }]);
  expect(await xssRan(page)).toBeUndefined();
  expect(cspViolations.splice(0)).toEqual([expect.stringContaining('Executing inline script violates')]);
  expect(scriptSrc(next!.headers()['content-security-policy'])).not.toContain(oldNonce);
});
