// Stored XSS through a note (THREATS T28; OWASP XSS Prevention CS). A note is the one piece of
// user-written text the app renders — on the server (HTML) and in the browser (React, after adding,
// and when hydrating the server's page). Each payload must come out as the literal text typed:
// no element created from it, nothing run. The CSP (T29) would refuse most of these scripts even if
// markup got through, so the test does not rely on "nothing ran": it checks that no markup was made,
// and the fixture's CSP watch fails the test if the browser had to refuse anything.
import type { Page } from '@playwright/test';
import { expect, recordDialogs, test } from '../support/attacks';
import { addNote, signUp } from '../support/fixtures';

/** Each sets window.__xss and opens a dialog if it ever runs. */
const PAYLOADS = {
  '<script>': `<script>window.__xss = 'script'; alert('script')</script>`,
  '<img onerror>': `<img src=x onerror="window.__xss = 'img'; alert('img')">`,
  '<svg onload>': `<svg onload="window.__xss = 'svg'; alert('svg')"></svg>`,
  'javascript: link': `<a href="javascript:window.__xss = 'link'; alert('link')">read more</a>`,
  'bare javascript: URL': `javascript:window.__xss = 'url'; alert('url')`,
  // Breaking out of the page-props <script type="application/json"> the server puts the notes in.
  '</script> break-out of __NEXT_DATA__': `</script><script>window.__xss = 'breakout'; alert('breakout')</script>`,
};

/** The note renders as exactly the text typed, with no element made from it, and nothing ran. */
async function expectRenderedAsText(page: Page, payload: string, dialogs: string[]) {
  const list = page.getByRole('list', { name: 'Your notes' });
  await expect(list.locator('.note-text')).toHaveText([payload]);
  await expect(list.locator('.note-text *')).toHaveCount(0);
  await expect(list.locator('script, img, svg, a, iframe, object, embed')).toHaveCount(0);
  // No inline <script> without the response's nonce appeared (the app's own scripts carry it, T29).
  expect(await page.locator('script:not([src]):not([nonce])').count()).toBe(0);
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
}

for (const [name, payload] of Object.entries(PAYLOADS)) {
  test(`T28 a note with ${name} renders as text and runs nothing`, async ({ page, context }) => {
    const dialogs = recordDialogs(context);
    await signUp(page);

    // Rendered by React in the browser, right after adding it.
    await addNote(page, payload);
    await expectRenderedAsText(page, payload, dialogs);

    // Rendered by the server: the HTML itself, read by an inert parser (nothing runs, nothing hydrates) …
    const response = await page.reload({ waitUntil: 'load' });
    const serverHtml = await page.evaluate(
      (html) => {
        const doc = new DOMParser().parseFromString(html, 'text/html');
        return {
          notes: Array.from(doc.querySelectorAll('.note-text')).map((n) => ({ text: n.textContent, elements: n.children.length })),
          scriptsWithoutNonce: doc.querySelectorAll('script:not([nonce])').length,
        };
      },
      await response!.text(),
    );
    expect(serverHtml).toEqual({ notes: [{ text: payload, elements: 0 }], scriptsWithoutNonce: 0 });
    // … and the page after hydration.
    await expectRenderedAsText(page, payload, dialogs);
  });
}
