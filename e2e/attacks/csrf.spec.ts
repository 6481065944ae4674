// Cross-site request forgery against the GraphQL endpoint (THREATS T24–T26; OWASP CSRF Prevention CS).
// The victim is signed in; a page of the attacker's site, open in the same browser, tries to make the
// browser run `refreshAccessToken` (to rotate the victim's refresh token away) and `signOut` (to end
// the session) at the app's /api/graphql with the victim's cookies.
//
// Every attack runs from both attacker origins (support/attacks.ts):
//  - another SITE (http://127.0.0.1:…): SameSite=Strict keeps the auth cookies off the request, so the
//    forged mutation would find no session even if it ran — defence one;
//  - the SAME site on another ORIGIN (http://localhost:<other port>): the cookies DO go along (asserted),
//    so only the API's own checks stand between the attacker and the session — defence two: a POST
//    must carry the `x-graphql-yoga-csrf` header (a page can only add a header to a cross-origin
//    request after a CORS preflight that the API's allow-list refuses) and a JSON body (which no HTML
//    form can send); a mutation must be a POST.
// Either way the API answers before executing anything, and the victim's session is proven untouched:
// same cookies, and the refresh token still the live one (expectSessionUntouched).
import type { Page, Request, Response } from '@playwright/test';
import {
  ATTACKER_ORIGINS,
  escapeHtml,
  expect,
  expectSessionUntouched,
  sessionCookies,
  test,
  type AttackerOrigin,
  type AttackerSite,
} from '../support/attacks';
import { WEB_ORIGIN } from '../support/env';
import { signUp } from '../support/fixtures';

const GRAPHQL_URL = `${WEB_ORIGIN}/api/graphql`;

/** The two mutations a CSRF would like to run with the victim's cookies. */
const FORGED = {
  refreshAccessToken: 'mutation { refreshAccessToken { accessToken } }',
  signOut: 'mutation { signOut }',
} as const;

/** What the browser sent and got back for one forged request. */
async function describeForged(response: Response) {
  const body = (await response.json().catch(() => undefined)) as { errors?: { extensions?: { code?: string } }[] } | undefined;
  return {
    status: response.status(),
    code: body?.errors?.[0]?.extensions?.code,
    setCookie: (await response.headerValue('set-cookie')) !== null,
    cookieSent: /__Host-refresh=/.test((await response.request().allHeaders())['cookie'] ?? ''),
  };
}

/** Opens an attacker page in the victim's tab and waits for the request it makes to /api/graphql. */
async function visitAndCatchForgedRequest(page: Page, url: string, method: 'GET' | 'POST') {
  // The forged request is a top-level navigation (a form submission or `location.href`); the
  // victim's own tab may still be talking to the API meanwhile (a live page renews its token).
  const forged = page.waitForResponse(
    (r) => r.url().startsWith(GRAPHQL_URL) && r.request().method() === method && r.request().isNavigationRequest(),
  );
  await page.goto(url);
  return describeForged(await forged);
}

// ---------------------------------------------------------------------------------------------
// T24 HTML forms
// ---------------------------------------------------------------------------------------------

/** The fields each encoding's form uses to smuggle a GraphQL mutation. */
const FORM_ENCODINGS: Record<string, (query: string) => [name: string, value: string][]> = {
  // The classic trick: text/plain sends `name=value`, so a name ending in `"pad":"` and the value `"}`
  // make the body {"query":"…","pad":"="} — JSON in all but the content type.
  'text/plain': (query) => [[`{"query":${JSON.stringify(query)},"pad":"`, '"}']],
  'application/x-www-form-urlencoded': (query) => [['query', query]],
  // The GraphQL multipart request spec (file uploads), which Yoga understands.
  'multipart/form-data': (query) => [
    ['operations', JSON.stringify({ query })],
    ['map', '{}'],
  ],
};

/** A page that submits a hidden form as soon as it loads — the victim only has to open it. */
function autoSubmittingForm(enctype: string, fields: [string, string][]): string {
  const inputs = fields.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`);
  return `<!doctype html><title>You have won</title>
    <form method="post" action="${GRAPHQL_URL}" enctype="${enctype}">${inputs.join('')}</form>
    <script>document.forms[0].submit()</script>`;
}

for (const [enctype, fields] of Object.entries(FORM_ENCODINGS)) {
  test(`T24 a ${enctype} form posting refreshAccessToken and signOut from another origin → 403, nothing rotated or revoked`, async ({
    page,
    context,
    attacker,
  }) => {
    const victim = await signUp(page);
    const before = await sessionCookies(context);

    for (const from of ATTACKER_ORIGINS) {
      for (const [operation, query] of Object.entries(FORGED)) {
        const path = attacker.publish(autoSubmittingForm(enctype, fields(query)));
        const forged = await visitAndCatchForgedRequest(page, attacker[from] + path, 'POST');
        expect(forged, `${operation} from ${from}`).toEqual({
          status: 403, // CSRF check failed, before anything executed
          code: 'FORBIDDEN',
          setCookie: false,
          cookieSent: from === 'sameSite',
        });
      }
    }

    await expectSessionUntouched(page, victim, before);
  });
}

// ---------------------------------------------------------------------------------------------
// T25 mutations over GET
// ---------------------------------------------------------------------------------------------

const getUrl = (query: string) => `${GRAPHQL_URL}?query=${encodeURIComponent(query)}`;

test('T25 a mutation over GET by a top-level navigation from another origin → 405, nothing rotated or revoked', async ({
  page,
  context,
  attacker,
}) => {
  const victim = await signUp(page);
  const before = await sessionCookies(context);

  for (const from of ATTACKER_ORIGINS) {
    for (const [operation, query] of Object.entries(FORGED)) {
      // A link the victim follows would do the same; a script saves the click.
      const path = attacker.publish(`<!doctype html><script>location.href = ${JSON.stringify(getUrl(query))}</script>`);
      const forged = await visitAndCatchForgedRequest(page, attacker[from] + path, 'GET');
      expect(forged, `${operation} from ${from}`).toEqual({
        status: 405, // "Can only perform a mutation operation from a POST request."
        code: 'BAD_USER_INPUT',
        setCookie: false,
        cookieSent: from === 'sameSite', // a top-level GET from the same site carries Strict cookies
      });
    }
  }

  await expectSessionUntouched(page, victim, before);
});

test('T25 a mutation over GET by <img src> on another origin changes nothing', async ({ page, context, attacker }) => {
  const victim = await signUp(page);
  const before = await sessionCookies(context);

  for (const from of ATTACKER_ORIGINS) {
    const path = attacker.publish(
      `<!doctype html>${Object.values(FORGED)
        .map((query) => `<img alt="" src="${escapeHtml(getUrl(query))}">`)
        .join('')}`,
    );
    // The browser sends both requests (with the cookies, from the same site) and then refuses to show
    // a JSON answer to the page (ORB), so the page learns nothing; the API refused them anyway (405).
    const done = new Set<string>();
    // Only the forged GETs: the victim's own tab may still be talking to the API meanwhile (its live
    // notes page renews its token and re-reads its list).
    const record = (r: Request) => void (r.method() === 'GET' && r.url().startsWith(`${GRAPHQL_URL}?`) && done.add(r.url()));
    page.on('requestfinished', record).on('requestfailed', record);
    await page.goto(attacker[from] + path);
    await expect.poll(() => done.size, `both <img> requests made from ${from}`).toBe(2);
    page.off('requestfinished', record).off('requestfailed', record);
  }

  await expectSessionUntouched(page, victim, before);
});

// ---------------------------------------------------------------------------------------------
// T26 fetch from another origin
// ---------------------------------------------------------------------------------------------

/** Runs `fetch(/api/graphql, init)` in a page of the attacker's site; returns what the page saw. */
async function fetchFromAttacker(page: Page, attacker: AttackerSite, from: AttackerOrigin, init: RequestInit) {
  await page.goto(attacker[from] + attacker.publish('<!doctype html><title>Elsewhere</title>'));
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const response = await fetch(url, init);
        return { type: response.type, status: response.status, readable: (await response.text()) !== '' };
      } catch (error) {
        return { error: String(error) };
      }
    },
    { url: GRAPHQL_URL, init },
  );
}

test('T26 fetch with credentials and the CSRF header from another origin: the preflight fails, nothing is sent', async ({
  page,
  context,
  attacker,
}) => {
  const victim = await signUp(page);
  const before = await sessionCookies(context);
  const corsErrors: string[] = [];
  page.on('console', (m) => void (/blocked by CORS policy/.test(m.text()) && corsErrors.push(m.text())));

  for (const from of ATTACKER_ORIGINS) {
    for (const [operation, query] of Object.entries(FORGED)) {
      const seen = await fetchFromAttacker(page, attacker, from, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
        body: JSON.stringify({ query }),
      });
      // The custom header makes the browser ask first (OPTIONS); the API's CORS allow-list does not
      // answer for this origin, so the browser never sends the POST.
      expect(seen, `${operation} from ${from}`).toEqual({ error: 'TypeError: Failed to fetch' });
    }
  }
  expect(corsErrors).toHaveLength(4);
  for (const message of corsErrors) expect(message).toContain('Response to preflight request');

  await expectSessionUntouched(page, victim, before);
});

test('T26 fetch from another origin without the header (no preflight) is refused by the CSRF check, unreadable', async ({
  page,
  context,
  attacker,
}) => {
  const victim = await signUp(page);
  const before = await sessionCookies(context);

  for (const from of ATTACKER_ORIGINS) {
    for (const [operation, query] of Object.entries(FORGED)) {
      // A "simple" request: no custom header, a form content type — the browser sends it without asking.
      // This very request (the victim's own tab may still be talking to the API meanwhile).
      const answer = page.waitForResponse((r) => r.url() === GRAPHQL_URL && r.request().postData() === JSON.stringify({ query }));
      const seen = await fetchFromAttacker(page, attacker, from, {
        method: 'POST',
        mode: 'no-cors',
        credentials: 'include',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ query }),
      });
      expect(seen, 'the page gets an opaque response: no status, no body').toEqual({
        type: 'opaque',
        status: 0,
        readable: false,
      });
      // CSRF check failed: no header, and not JSON. (From the same site the request does carry the
      // cookies, as in T24, but Chromium reports neither the cookies sent nor those set for a request
      // whose answer it withholds from the page; expectSessionUntouched below covers both.)
      expect((await answer).status(), `${operation} from ${from}`).toBe(403);
    }
  }

  await expectSessionUntouched(page, victim, before);
});
