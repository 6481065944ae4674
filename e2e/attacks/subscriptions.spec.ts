// Token sidejacking over the subscription WebSocket (THREATS T15; OWASP WebSocket Security CS).
// A socket authenticates once, at `connection_init`, with the access token AND the fingerprint cookie
// of the upgrade request — so a stolen token must fail there exactly as it fails over HTTP (T12). One
// more way in exists for sockets: browsers apply no CORS to WebSockets, and the upgrade carries the
// cookies of the site it goes to. An attacker holding a stolen token could open the socket from a page
// of their own on the SAME site and let the victim's browser add the victim's fingerprint cookie
// (Cross-Site WebSocket Hijacking); the API refuses upgrades whose Origin is not the web app's.
// (From another SITE, SameSite=Strict keeps the cookie off the upgrade anyway.)
import type { Page } from '@playwright/test';
import { WS_CLOSE_UNAUTHENTICATED } from '@app/shared';
import { expect, stealAccessToken, test } from '../support/attacks';
import { WEB_ORIGIN } from '../support/env';
import { signUp } from '../support/fixtures';

const SOCKET_URL = `${WEB_ORIGIN.replace(/^http/, 'ws')}/api/graphql`;

type SocketOutcome = { opened: boolean; messages: string[]; closeCode: number };

/**
 * In `page`: open the graphql-ws socket, send `connection_init` with the token, and once acknowledged
 * subscribe to noteAdded. Ends when the server closes the socket, or with our own close (1000) a
 * moment after the subscription started.
 */
function openSubscription(page: Page, token: string): Promise<SocketOutcome> {
  return page.evaluate(
    ({ url, token }) =>
      new Promise<SocketOutcome>((resolve) => {
        const messages: string[] = [];
        let opened = false;
        const socket = new WebSocket(url, 'graphql-transport-ws');
        socket.onopen = () => {
          opened = true;
          socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
        };
        socket.onmessage = (event) => {
          const { type } = JSON.parse(event.data);
          messages.push(type);
          if (type === 'connection_ack') {
            socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { noteAdded { id text } }' } }));
            setTimeout(() => socket.close(1000), 500);
          }
        };
        socket.onclose = (event) => resolve({ opened, messages, closeCode: event.code });
      }),
    { url: SOCKET_URL, token },
  );
}

test('T15 a stolen access token used over the WebSocket from another browser is closed 4401 before any data', async ({ page, browser }) => {
  await signUp(page);
  const stolen = await stealAccessToken(page);

  const attackerContext = await browser.newContext();
  const attacker = await attackerContext.newPage();
  await attacker.goto('/signin');
  expect(await openSubscription(attacker, stolen)).toEqual({
    opened: true,
    messages: [], // no connection_ack, no data
    closeCode: WS_CLOSE_UNAUTHENTICATED,
  });
  await attackerContext.close();

  // The same token, from the victim's own tab (with its fingerprint cookie), is served.
  expect(await openSubscription(page, stolen)).toEqual({ opened: true, messages: ['connection_ack'], closeCode: 1000 });
});

test("T15 a stolen token on a socket opened from the attacker's same-site page, riding the victim's cookie → upgrade refused", async ({
  page,
  attacker,
}) => {
  await signUp(page);
  const stolen = await stealAccessToken(page);

  // The victim's browser opens the attacker's page on the same site (http://localhost:<other port>);
  // its WebSocket to the app carries the victim's Strict cookies, fingerprint included.
  await page.goto(attacker.sameSite + attacker.publish('<!doctype html><title>Elsewhere</title>'));
  const outcome = await openSubscription(page, stolen);
  expect(outcome, 'the upgrade is refused (403): the socket never opens').toEqual({
    opened: false,
    messages: [],
    closeCode: 1006,
  });
});
