// Resource caps on WebSocket subscriptions (issue 10, finding 10), against the real API with a
// real `ws` client: floods of subscriptions, sockets and messages close the offending socket with
// 4429 and leave other users alone; a socket that upgrades and then stays silent is closed (4408).
import { ADD_NOTE, NOTE_ADDED } from '@app/shared';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_CLOSE_TOO_MANY } from '../../src/subscriptions/socket-limits.js';
import { signUp, type Device } from '../support/flows.js';
import { graphql } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';
import { connect, open, subscribe, WEB_ORIGIN, type Closed, type Socket } from './ws-client.js';

const MAX_SUBSCRIPTIONS = 3;
const MAX_SOCKETS = 3;
const MAX_MESSAGES = 20;
const CONNECTION_INIT_TIMEOUT = 4408; // graphql-ws CloseCode.ConnectionInitialisationTimeout

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(MAX_SUBSCRIPTIONS),
    WS_MAX_SOCKETS_PER_USER: String(MAX_SOCKETS),
    WS_MAX_MESSAGES_PER_WINDOW: String(MAX_MESSAGES),
    WS_MESSAGE_WINDOW_SECONDS: '60',
  });
}, 120_000); // a PGlite start on a loaded 2-core machine
afterAll(() => t?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The socket's close, or 'still open' after `ms` (so a missing defence fails with a clear message). */
const closedWithin = (socket: Socket, ms = 10_000): Promise<Closed | 'still open'> =>
  Promise.race([socket.closed, sleep(ms).then(() => 'still open' as const)]);

const addNote = (d: Device, text: string) => graphql(t.url, ADD_NOTE, { text }, { token: d.token, jar: d.jar });

const authenticated = async (d: Device) => {
  const { socket, acked } = await connect(t.url, { authorization: `Bearer ${d.token}`, cookie: d.jar.header() });
  expect(acked).toBe(true);
  return socket;
};

/** Waits until `socket` has received a `next` for each of `ids` (after a note was added). */
async function nextsFor(socket: Socket, ids: string[]) {
  const deadline = Date.now() + 5000;
  const got = () => ids.filter((id) => socket.messages.some((m) => m.type === 'next' && m.id === id));
  while (got().length < ids.length && Date.now() < deadline) await sleep(20);
  return got();
}

/** Proof that another user's live subscription still works: its socket gets its own new note. */
async function stillServed(other: Device, socket: Socket) {
  const before = socket.dataPayloads().length;
  await addNote(other, `still here ${Date.now()}`);
  const deadline = Date.now() + 5000;
  while (socket.dataPayloads().length === before && Date.now() < deadline) await sleep(20);
  expect(socket.ws.readyState).toBe(WebSocket.OPEN);
  expect(socket.dataPayloads().length).toBe(before + 1);
}

describe('subscriptions: resource caps', () => {
  it('a socket may hold the allowed number of live subscriptions; one more closes it with 4429', async () => {
    const a = await signUp(t.url);
    const b = await signUp(t.url);
    const bystander = await subscribe(t.url, b);

    const socket = await authenticated(a);
    const ids = Array.from({ length: MAX_SUBSCRIPTIONS }, (_, i) => `s${i}`);
    for (const id of ids) socket.send({ id, type: 'subscribe', payload: { query: NOTE_ADDED } });
    await sleep(100);
    await addNote(a, 'to every subscription');
    expect(await nextsFor(socket, ids)).toEqual(ids);

    // Completing one frees its place: the cap counts live subscriptions, not all-time ones.
    socket.send({ id: 's0', type: 'complete' });
    socket.send({ id: 's-new', type: 'subscribe', payload: { query: NOTE_ADDED } });
    await sleep(100);
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);

    socket.send({ id: 's-over', type: 'subscribe', payload: { query: NOTE_ADDED } });
    expect(await closedWithin(socket)).toMatchObject({ code: WS_CLOSE_TOO_MANY });
    await stillServed(b, bystander);
    bystander.close();
  });

  it('a subscription flood (many ids at once) closes the socket with 4429, other users unaffected', async () => {
    const a = await signUp(t.url);
    const b = await signUp(t.url);
    const bystander = await subscribe(t.url, b);
    const socket = await authenticated(a);
    for (let i = 0; i < 15; i++) socket.send({ id: `flood-${i}`, type: 'subscribe', payload: { query: NOTE_ADDED } });
    expect(await closedWithin(socket)).toMatchObject({ code: WS_CLOSE_TOO_MANY });
    await stillServed(b, bystander);
    bystander.close();
  });

  it('a user gets at most the allowed number of sockets (opened at once or one by one); 4429 beyond, other users unaffected', async () => {
    const a = await signUp(t.url);
    const b = await signUp(t.url);
    // Opened at once: authentication is asynchronous, and concurrent connects must not all pass.
    const attempts = await Promise.all(
      Array.from({ length: MAX_SOCKETS + 4 }, () => connect(t.url, { authorization: `Bearer ${a.token}`, cookie: a.jar.header() })),
    );
    const acked = attempts.filter((x) => x.acked);
    expect(acked).toHaveLength(MAX_SOCKETS);
    for (const refused of attempts.filter((x) => !x.acked)) {
      expect(await closedWithin(refused.socket)).toMatchObject({ code: WS_CLOSE_TOO_MANY });
    }
    // Another user is not affected by A's sockets.
    const bystander = await subscribe(t.url, b);
    await stillServed(b, bystander);

    // One by one: full, then a closed socket frees its place.
    const oneMore = await connect(t.url, { authorization: `Bearer ${a.token}`, cookie: a.jar.header() });
    expect(oneMore.acked).toBe(false);
    acked[0]!.socket.close();
    await acked[0]!.socket.closed;
    await sleep(50);
    const replacement = await connect(t.url, { authorization: `Bearer ${a.token}`, cookie: a.jar.header() });
    expect(replacement.acked).toBe(true);
    for (const s of [...acked.slice(1).map((x) => x.socket), replacement.socket, bystander]) s.close();
  });

  describe('a message flood closes the socket with 4429, other users unaffected', () => {
    const floods: [string, (socket: Socket, i: number) => void][] = [
      ['pings', (socket) => socket.send({ type: 'ping' })],
      // Each subscription is completed at once, so the subscription cap never trips: only the rate does.
      [
        'subscribe/complete churn',
        (socket, i) => {
          socket.send({ id: `c${i}`, type: 'subscribe', payload: { query: NOTE_ADDED } });
          socket.send({ id: `c${i}`, type: 'complete' });
        },
      ],
      ['pongs', (socket) => socket.send({ type: 'pong' })],
    ];
    for (const [name, send] of floods) {
      it(`flood of ${name}`, async () => {
        const a = await signUp(t.url);
        const b = await signUp(t.url);
        const bystander = await subscribe(t.url, b);
        const socket = await authenticated(a);
        for (let i = 0; i < MAX_MESSAGES * 3 && socket.ws.readyState === WebSocket.OPEN; i++) send(socket, i);
        expect(await closedWithin(socket)).toMatchObject({ code: WS_CLOSE_TOO_MANY });
        // What the server still answered is bounded by the budget, not by the flood.
        expect(socket.messages.length).toBeLessThanOrEqual(MAX_MESSAGES + 1);
        await stillServed(b, bystander);
        bystander.close();
      });
    }

    it('before authentication too: a flood of pings without connection_init', async () => {
      const socket = await open(t.url, { origin: WEB_ORIGIN });
      for (let i = 0; i < MAX_MESSAGES * 3; i++) socket.send({ type: 'ping' });
      expect(await closedWithin(socket, 2500)).toMatchObject({ code: WS_CLOSE_TOO_MANY });
    });
  });
});

describe('subscriptions: a silent upgrade does not hold a socket', () => {
  it('an upgrade that never sends connection_init is closed (4408)', async () => {
    const socket = await open(t.url, { origin: WEB_ORIGIN });
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    expect(await closedWithin(socket)).toMatchObject({ code: CONNECTION_INIT_TIMEOUT });
  });

  it('an upgrade that keeps pinging but never sends connection_init is closed too (4408)', async () => {
    const socket = await open(t.url, { origin: WEB_ORIGIN });
    const pinger = setInterval(() => socket.ws.readyState === WebSocket.OPEN && socket.send({ type: 'ping' }), 500);
    try {
      expect(await closedWithin(socket)).toMatchObject({ code: CONNECTION_INIT_TIMEOUT });
    } finally {
      clearInterval(pinger);
    }
  });

  // An upgrade the WebSocket server does not serve must not linger either: after the request is
  // read, Node's header/request timeouts no longer watch the socket.
  for (const target of ['/graphql/', '/GRAPHQL', '//graphql', '/other', '/api/graphql', '/graphql%2F']) {
    it(`an upgrade on ${target} is answered 400 and its connection closed`, async () => {
      const { port } = new URL(t.url);
      const socket = net.connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
      const ended = new Promise<'closed'>((resolve) => socket.on('close', () => resolve('closed')));
      socket.on('error', () => {});
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
          `Sec-WebSocket-Protocol: graphql-transport-ws\r\nOrigin: ${WEB_ORIGIN}\r\n\r\n`,
      );
      const outcome = await Promise.race([ended, sleep(10_000).then(() => 'still open' as const)]);
      socket.destroy();
      expect(outcome).toBe('closed');
      expect(received).toMatch(/^HTTP\/1\.1 400 /);
    });
  }
});
