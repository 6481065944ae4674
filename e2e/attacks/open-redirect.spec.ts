// Open redirect through `?next=` (THREATS T32; OWASP Unvalidated Redirects and Forwards CS). The
// attacker sends the victim a real link to our sign-in page whose `next` points elsewhere; after a
// genuine sign-in on our site the victim would land on the attacker's look-alike. Each link below is
// written as the attacker would put it in the address (raw query text, encodings included); after
// signing in, the browser must still be on our origin and must never have asked for evil.example.
// (tests/forms.spec.ts signs in through three of these; this is the full list, one per test.)
import { expect, recordDialogs, signUpViaApi, test } from '../support/attacks';
import { WEB_ORIGIN } from '../support/env';

/** `?next=<raw>` exactly as in the attacker's link. */
const HOSTILE_NEXT = {
  'an absolute URL': 'https://evil.example/',
  'an absolute URL, encoded': 'https%3A%2F%2Fevil.example%2F',
  'a scheme-relative URL': '//evil.example',
  'a scheme-relative URL, encoded': '%2F%2Fevil.example',
  'a scheme-relative URL, double-encoded': '%252F%252Fevil.example',
  'three slashes': '///evil.example',
  'a backslash (browsers read it as a slash)': '/%5Cevil.example',
  'two backslashes': '%5C%5Cevil.example',
  'a tab the URL parser drops (/\\t/ → //)': '/%09/evil.example',
  'our own origin as user-info': `${encodeURIComponent(WEB_ORIGIN)}%40evil.example`,
  'a javascript: URL': 'javascript:alert(document.domain)',
  'a javascript: URL, mixed case and encoded': 'JaVaScRiPt%3Aalert(document.domain)',
  'a data: URL': 'data:text/html,%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  // One leading slash, but the URL parser turns each into the path //evil.example (issue 10, finding 3).
  'a dot segment before //': '/.//evil.example',
  'a dot segment before //, encoded': '%2F.%2F%2Fevil.example',
  'an encoded dot segment (%2e) before //': '/%252e//evil.example',
  'an encoded dot segment (%2E) before //': '/%252E//evil.example',
  'a parent segment before //': '/a/..//evil.example',
  'an encoded parent segment before //': '/a/%252e%252e//evil.example',
  'a dot segment before a backslash': '/./%5Cevil.example',
  'a newline the URL parser drops (/\\n/ → //)': '/%0A/evil.example',
  'a dot segment and a tab': '/.%09//evil.example',
};

for (const [name, next] of Object.entries(HOSTILE_NEXT)) {
  test(`T32 sign-in with next= ${name} stays on the site`, async ({ page, context, request }) => {
    const account = await signUpViaApi(request);
    const dialogs = recordDialogs(context);
    const offSite: string[] = [];
    await context.route(
      (url) => url.hostname.endsWith('evil.example'),
      (route) => {
        offSite.push(route.request().url());
        return route.abort();
      },
    );

    await page.goto(`/signin?next=${next}`);
    await page.getByLabel('E-mail').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect.poll(() => offSite.length > 0 || new URL(page.url()).pathname !== '/signin', 'the browser left /signin').toBe(true);
    expect(offSite, 'requests to evil.example').toEqual([]);
    // A hostile `next` is replaced by the home page.
    expect(page.url()).toBe(`${WEB_ORIGIN}/`);
    await expect(page.getByTestId('me-email')).toHaveText(account.email);
    expect(dialogs).toEqual([]);
  });
}
