// Clickjacking (THREATS T34; OWASP Clickjacking Defense CS). The attacker's page shows the app in an
// invisible frame and lures the victim into clicking its buttons ("Sign out everywhere", "Revoke",
// "Delete"). Every page says no site may frame it: CSP `frame-ancestors 'none'` (modern browsers) and
// `X-Frame-Options: DENY` (older ones).
import { ATTACKER_ORIGINS, expect, test } from '../support/attacks';
import { WEB_ORIGIN } from '../support/env';
import { addNote, signUp } from '../support/fixtures';

test('T34 every kind of page forbids framing: frame-ancestors none and X-Frame-Options DENY', async ({ request }) => {
  // Public, protected (answered with a redirect when signed out), and not-found pages.
  for (const path of ['/signin', '/signup', '/notes', '/', '/no-such-page']) {
    const response = await request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    expect(headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options'], path).toBe('DENY');
  }
});

test('T34 a page on another origin that frames the app gets a blocked frame, nothing of the app in it', async ({
  page,
  attacker,
  cspViolations,
}) => {
  const victim = await signUp(page);
  const secret = `do not click ${Date.now()}`;
  await addNote(page, secret);

  for (const from of ATTACKER_ORIGINS) {
    for (const target of ['/notes', '/sessions', '/signin']) {
      const path = attacker.publish(
        `<!doctype html><title>Win a prize</title><p>Click the button!</p>
         <iframe src="${WEB_ORIGIN}${target}" style="opacity:0.01" width="800" height="600"></iframe>`,
      );
      await page.goto(attacker[from] + path); // resolves on the load event, i.e. after the frame loaded
      // The frame holds the browser's error page, nothing of ours …
      const frame = page.frames().find((f) => f !== page.mainFrame())!;
      expect(frame.url(), `${target} framed from ${from}`).toBe('chrome-error://chromewebdata/');
      await expect(frame.getByText(victim.email)).toHaveCount(0);
      await expect(frame.getByText(secret)).toHaveCount(0);
      await expect(frame.getByRole('button', { name: /sign out|revoke|delete/i })).toHaveCount(0);
      // … and the browser says why, on the attacker's page.
      await expect.poll(() => cspViolations.length).toBe(1);
      expect(cspViolations.splice(0)[0]).toContain(`violates the following Content Security Policy directive: "frame-ancestors 'none'"`);
    }
  }
});
