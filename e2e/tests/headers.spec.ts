// The production response headers, as the browser receives them (THREATS T29, T31, T34).
import { WEB_ORIGIN } from '../support/env';
import { expect, signUp, test } from '../support/fixtures';

test('pages carry a nonce-based CSP without unsafe-inline/eval, and anti-framing headers', async ({ page }) => {
  const response = await page.goto('/signin');
  const headers = response!.headers();
  const csp = headers['content-security-policy'] ?? '';
  const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src ')) ?? '';
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
  expect(nonce).toBeTruthy();
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(scriptSrc).not.toContain('unsafe-inline');
  expect(scriptSrc).not.toContain('unsafe-eval');
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers).toMatchObject({
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  });
  expect(headers['permissions-policy']).toContain('camera=()');
  expect(headers['strict-transport-security']).toBeUndefined(); // plain HTTP here

  // Every <script> in the server's HTML carries this response's nonce (scripts they load later are
  // allowed by 'strict-dynamic'), and the next response gets a new nonce.
  const scriptTags = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThan(0);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);
  const again = await page.reload();
  expect(again!.headers()['content-security-policy']).not.toContain(nonce);
});

test('signed-in pages are private, no-store; the proxy serves the API on the same origin', async ({ page }) => {
  await signUp(page);
  for (const path of ['/', '/notes', '/sessions', '/token']) {
    const response = await page.goto(path);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['cache-control'], path).toBe('private, no-store');
  }
  // GraphQL is reached at /api/graphql on the web origin, never the API's own address.
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.getByRole('button', { name: 'Call the API now' }).click();
  await expect(page.getByTestId('api-result')).toContainText('you are');
  expect(urls.filter((u) => u.includes('graphql'))).toEqual([`${WEB_ORIGIN}/api/graphql`]);
});
