// A rotation whose answer never reaches the browser must not sign the person out (THREATS T54, T55;
// CONTRACT "Refresh rotation"; docs/decisions/0008). Every protected server render and every client
// refresh rotates the refresh token; when the answer carrying the successor is lost — the Set-Cookie
// dropped, the connection cut, the navigation replaced by the next one — the browser still holds the
// old token. Presented again it must get that same successor, and the session lives on.
//
// Each test waits past the grace window (REFRESH_REUSE_GRACE_SECONDS) after the loss before it checks:
// within the grace window even the old rule answered a spent token, so only a later request shows
// whether a lost answer costs the session.
import type { BrowserContext, Page, Route } from '@playwright/test';
import { FINGERPRINT_COOKIE, REFRESH_COOKIE } from '@app/shared';
import { expect, sessionCookies, test } from '../support/attacks';
import { REFRESH_REUSE_GRACE_SECONDS, WEB_ORIGIN } from '../support/env';
import { addNote, recordGraphql, signUp, type Account } from '../support/fixtures';

const PAST_GRACE_MS = REFRESH_REUSE_GRACE_SECONDS * 1000 + 1_500;

/** The value a set of Set-Cookie lines gives the refresh cookie. */
function refreshCookieIn(setCookies: string[]): string | undefined {
  const line = setCookies.find((c) => c.startsWith(`${REFRESH_COOKIE}=`));
  return line?.slice(REFRESH_COOKIE.length + 1).split(';', 1)[0];
}

/**
 * Sends the intercepted request to the web server ourselves (with the cookies the browser holds, as
 * the browser would) and returns the server's answer. Node's fetch keeps no cookies, so the
 * Set-Cookie lines reach nobody unless the caller passes them on.
 */
async function sendOnBehalf(route: Route, context: BrowserContext) {
  const request = route.request();
  const headers = { ...(await request.allHeaders()) };
  for (const name of Object.keys(headers)) if (name.startsWith(':') || name === 'host') delete headers[name];
  headers['cookie'] = (await context.cookies(WEB_ORIGIN)).map((c) => `${c.name}=${c.value}`).join('; ');
  const response = await fetch(request.url(), {
    method: request.method(),
    headers,
    body: request.postData() ?? undefined,
    redirect: 'manual',
  });
  const body = Buffer.from(await response.arrayBuffer());
  const forwarded: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    // fetch decoded the body; the lengths and encodings no longer apply.
    if (!['set-cookie', 'content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)) {
      forwarded[name] = value;
    }
  });
  return { status: response.status, headers: forwarded, body, setCookies: response.headers.getSetCookie() };
}

async function expectSignedIn(page: Page, account: Account, path = '/notes') {
  await page.goto(path);
  await expect(page).toHaveURL((url) => url.pathname === path);
  await expect(page.getByTestId('current-user')).toHaveText(account.email);
}

test.describe('lost rotation answers', () => {
  test('T54 server renders whose Set-Cookie never reaches the browser (dropped, or the navigation aborted) do not sign the person out', async ({
    page,
    context,
  }) => {
    test.setTimeout(90_000);
    const account = await signUp(page);
    const before = await sessionCookies(context);

    // Three renders of protected pages rotate on the server; the browser never sees their Set-Cookie:
    // the first two answers arrive without it, the third navigation is aborted after the server
    // answered (not a connection reset: Chromium retries a navigation whose connection was reset).
    const lost: (string | undefined)[] = [];
    let mode: 'drop-set-cookie' | 'abort' = 'drop-set-cookie';
    await page.route(
      (url) => url.origin === WEB_ORIGIN && ['/notes', '/sessions'].includes(url.pathname),
      async (route) => {
        if (route.request().resourceType() !== 'document') return route.continue();
        const answer = await sendOnBehalf(route, context);
        lost.push(refreshCookieIn(answer.setCookies));
        if (mode === 'abort') return route.abort('aborted');
        return route.fulfill({ status: answer.status, headers: answer.headers, body: answer.body });
      },
    );
    await page.goto('/notes');
    await expect(page.getByTestId('current-user')).toHaveText(account.email);
    await page.goto('/sessions');
    await expect(page.getByTestId('current-user')).toHaveText(account.email);
    mode = 'abort';
    await page.goto('/notes').catch(() => undefined); // net::ERR_ABORTED, as intended
    await page.unrouteAll({ behavior: 'wait' });

    expect(lost, 'three renders answered by the server').toHaveLength(3);
    expect(await sessionCookies(context), 'the browser still holds the old pair').toEqual(before);

    await page.waitForTimeout(PAST_GRACE_MS);
    expect(await sessionCookies(context), 'nothing delivered the successor meanwhile').toEqual(before);
    const recovery = page.waitForResponse((r) => r.url() === `${WEB_ORIGIN}/notes` && r.request().resourceType() === 'document');
    await expectSignedIn(page, account, '/notes');
    const recovered = refreshCookieIn(((await (await recovery).headerValue('set-cookie')) ?? '').split('\n'));
    await expectSignedIn(page, account, '/sessions');
    expect((await sessionCookies(context)).fingerprint).toBe(before.fingerprint);

    // One branch: every lost answer and the one that finally arrived carried the same successor.
    expect(lost[0]).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(lost[0]).not.toBe(before.refresh);
    expect([...lost, recovered], 'the same successor each time').toEqual(Array(4).fill(lost[0]));
  });

  test('T54 client-side refreshes (/api/graphql refreshAccessToken) whose Set-Cookie is dropped do not sign the person out', async ({
    page,
    context,
  }) => {
    test.setTimeout(90_000);
    const account = await signUp(page);
    const graphql = recordGraphql(page);
    const before = await sessionCookies(context);

    // The tab refreshes its access token before an operation when it is about to expire (support/env.ts:
    // a 6 s TTL). The answers of the first two such refreshes arrive with their access token but
    // without their Set-Cookie.
    const lost: (string | undefined)[] = [];
    await page.route(`${WEB_ORIGIN}/api/graphql`, async (route) => {
      const operation = (route.request().postDataJSON() as { operationName?: string } | null)?.operationName;
      if (operation !== 'RefreshAccessToken' || lost.length >= 2) return route.continue();
      const answer = await sendOnBehalf(route, context);
      lost.push(refreshCookieIn(answer.setCookies));
      return route.fulfill({ status: answer.status, headers: answer.headers, body: answer.body });
    });
    for (const n of [1, 2]) {
      await page.waitForTimeout(5_000); // inside the refresh margin
      await addNote(page, `after lost refresh ${n}`);
      expect(lost).toHaveLength(n);
    }
    expect(await sessionCookies(context), 'the browser still holds the old pair').toEqual(before);

    // Past the grace window the tab refreshes with the token it still holds: it gets the successor it
    // missed, and goes on; a reload renders signed in. The first refresh answer that gets through is
    // the one to compare (the live /notes page may refresh again by itself afterwards).
    const recovery = page.waitForResponse(
      (r) =>
        r.url() === `${WEB_ORIGIN}/api/graphql` &&
        (r.request().postDataJSON() as { operationName?: string } | null)?.operationName === 'RefreshAccessToken',
      { timeout: PAST_GRACE_MS + 30_000 },
    );
    await page.waitForTimeout(PAST_GRACE_MS);
    await addNote(page, 'after the grace window');
    const recovered = refreshCookieIn(((await (await recovery).headerValue('set-cookie')) ?? '').split('\n'));
    await expectSignedIn(page, account, '/notes');
    await expect(page.getByText('after the grace window')).toBeVisible();
    expect(graphql.unauthorized(), 'no request was refused').toEqual([]);
    const refreshes = graphql.log.filter((e) => e.operation === 'RefreshAccessToken');
    expect(refreshes.length).toBeGreaterThanOrEqual(3);
    expect(refreshes.every((e) => e.status === 200)).toBe(true);

    // One branch: both lost answers and the one that arrived carried the same successor.
    expect(lost[0]).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect([...lost, recovered], 'the same successor each time').toEqual(Array(3).fill(lost[0]));
  });

  test('T55 another site that keeps navigating a popup, a link target and a meta refresh to protected pages does not end the session', async ({
    page,
    context,
    attacker,
  }) => {
    test.setTimeout(120_000);
    const account = await signUp(page);
    const graphql = recordGraphql(page);
    const protectedUrls = ['/notes', '/sessions', '/notes?x=1'].map((p) => `${WEB_ORIGIN}${p}`);
    // The renders the loop causes: documents of the app requested WITH the session cookies (the
    // victim's own tab sits idle meanwhile).
    let renders = 0;
    context.on('request', (request) => {
      if (request.resourceType() === 'document' && request.url().startsWith(WEB_ORIGIN)) {
        void request.allHeaders().then((h) => {
          if ((h['cookie'] ?? '').includes(`${REFRESH_COOKIE}=`)) renders++;
        });
      }
    });

    const refreshPage = attacker.publish(
      `<!doctype html><meta http-equiv="refresh" content="0;url=${protectedUrls[1]}"><title>meta</title>`,
    );
    const loop = attacker.publish(`<!doctype html><title>attacker</title>
      <a id="link" target="victim" href="${protectedUrls[0]}">link</a>
      <script>
        const urls = ${JSON.stringify(protectedUrls)};
        let n = 0;
        // Every 150 ms a new navigation of the same named window replaces the one still loading, so
        // most renders' answers (and their Set-Cookie) are thrown away.
        const timer = setInterval(() => {
          n++;
          if (n % 5 === 0) document.getElementById('link').click();
          else if (n % 7 === 0) window.open(${JSON.stringify(refreshPage)}, 'victim');
          else window.open(urls[n % urls.length], 'victim');
          if (n >= 60) { clearInterval(timer); document.title = 'done'; }
        }, 150);
      </script>`);
    const attackerTab = await context.newPage();
    await attackerTab.goto(`${attacker.crossSite}${loop}`);
    await expect(attackerTab).toHaveTitle('done', { timeout: 60_000 });
    await attackerTab.waitForTimeout(2_000); // let the last navigation settle
    for (const p of context.pages()) if (p !== page) await p.close();
    expect(renders, 'the loop made the app render protected pages with the session').toBeGreaterThan(0);

    // The victim, past the grace window: their tab keeps refreshing, reloads render signed in.
    await page.waitForTimeout(PAST_GRACE_MS);
    await expect(page.getByTestId('current-user')).toHaveText(account.email);
    await expectSignedIn(page, account, '/notes');
    await expectSignedIn(page, account, '/sessions');
    expect(graphql.unauthorized(), 'the victim was never refused').toEqual([]);
    const cookies = await context.cookies(WEB_ORIGIN);
    expect(cookies.map((c) => c.name).sort()).toEqual([FINGERPRINT_COOKIE, REFRESH_COOKIE].sort());
  });
});
