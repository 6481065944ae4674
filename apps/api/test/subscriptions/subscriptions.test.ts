// GraphQL subscriptions over graphql-ws (docs/api-contract.md, "Subscriptions"; THREATS T15, T48), against the
// real API on a real database, with a real WebSocket client (`ws`) speaking `graphql-transport-ws`.
import {
  ADD_NOTE,
  ME,
  NOTE_ADDED,
  REFRESH_ACCESS_TOKEN,
  REVOKE_SESSION,
  SESSIONS,
  SIGN_IN,
  SIGN_OUT,
  SIGN_OUT_EVERYWHERE,
  WS_CLOSE_FORBIDDEN,
  WS_CLOSE_UNAUTHENTICATED,
} from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { refresh, signIn, signUp, type Device } from '../support/flows.js';
import { graphql } from '../support/http-client.js';
import { PASSWORD, startTestApi, type TestApi } from '../support/test-api.js';
import { connect, open, PROTOCOL, Socket, subscribe } from './ws-client.js';

const addNote = (url: string, d: Device, text: string) =>
  graphql<{ addNote: { id: string; text: string } }>(url, ADD_NOTE, { text }, { token: d.token, jar: d.jar });

const expClaim = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;

/** Waits until `socket` has `count` noteAdded payloads (or fails after a short while). */
async function receivedNotes(socket: Socket, count: number) {
  const deadline = Date.now() + 5000;
  while (socket.dataPayloads().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return socket.dataPayloads();
}

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

describe('subscriptions: authentication at connection time', () => {
  it('T15 no token → the socket is closed with 4401 before any data', async () => {
    const { socket, acked } = await connect(t.url);
    expect(acked).toBe(false);
    expect((await socket.closed).code).toBe(WS_CLOSE_UNAUTHENTICATED);
    expect(socket.messages).toEqual([]);
  });

  it('T15 a malformed or forged token → 4401', async () => {
    const a = await signUp(t.url);
    for (const authorization of ['Bearer not.a.jwt', `Basic ${a.token}`, `Bearer ${a.token}x`]) {
      const { socket, acked } = await connect(t.url, { authorization, cookie: a.jar.header() });
      expect(acked, authorization).toBe(false);
      expect((await socket.closed).code).toBe(WS_CLOSE_UNAUTHENTICATED);
      expect(socket.messages).toEqual([]);
    }
  });

  it('T15 a valid token without the fingerprint cookie on the upgrade → 4401, no data', async () => {
    const a = await signUp(t.url);
    const { socket, acked } = await connect(t.url, { authorization: `Bearer ${a.token}` });
    expect(acked).toBe(false);
    // Subscribing anyway gets nothing: the socket is already closed with 4401.
    if (socket.ws.readyState === WebSocket.OPEN) socket.send({ id: '1', type: 'subscribe', payload: { query: NOTE_ADDED } });
    expect((await socket.closed).code).toBe(WS_CLOSE_UNAUTHENTICATED);
    expect(socket.messages).toEqual([]);
  });

  it("T15 a valid token with ANOTHER user's fingerprint cookie → 4401, no data", async () => {
    const a = await signUp(t.url);
    const b = await signUp(t.url);
    const { socket, acked } = await connect(t.url, { authorization: `Bearer ${a.token}`, cookie: b.jar.header() });
    expect(acked).toBe(false);
    expect((await socket.closed).code).toBe(WS_CLOSE_UNAUTHENTICATED);
    expect(socket.messages).toEqual([]);
  });

  it("T15 a valid token + cookie receives its own noteAdded events, never another user's", async () => {
    const a = await signUp(t.url);
    const b = await signUp(t.url);
    const sa = await subscribe(t.url, a);
    const sb = await subscribe(t.url, b);
    // Let both `subscribe` messages reach the server before publishing.
    await new Promise((r) => setTimeout(r, 100));

    const fromB = await addNote(t.url, b, 'b-secret');
    const fromA = await addNote(t.url, a, 'a-note');
    expect(fromA.body.errors).toBeUndefined();

    expect(await receivedNotes(sa, 1)).toEqual([{ ...fromA.body.data!.addNote, createdAt: expect.any(String) }]);
    expect(await receivedNotes(sb, 1)).toEqual([{ ...fromB.body.data!.addNote, createdAt: expect.any(String) }]);
    // B's note was published first: had A's socket been sent it, it would be there by now.
    expect(sa.dataPayloads().map((n) => n.text)).toEqual(['a-note']);
    sa.close();
    sb.close();
  });

  it('only subscriptions are served over the socket; queries and mutations stay on HTTP', async () => {
    const a = await signUp(t.url);
    const { socket, acked } = await connect(t.url, { authorization: `Bearer ${a.token}`, cookie: a.jar.header() });
    expect(acked).toBe(true);
    socket.send({ id: 'm', type: 'subscribe', payload: { query: ADD_NOTE, variables: { text: 'over ws' } } });
    const reply = await socket.next((m) => m.id === 'm');
    expect(reply).toMatchObject({ type: 'error' });
    socket.send({ id: 'q', type: 'subscribe', payload: { query: 'query { notes { id text } }' } });
    expect(await socket.next((m) => m.id === 'q')).toMatchObject({
      type: 'error',
      payload: [{ message: expect.stringMatching(/Only subscriptions/) }],
    });
    expect(socket.messages.filter((m) => m.type === 'next')).toEqual([]);
    const notes = await graphql<{ notes: unknown[] }>(t.url, 'query { notes { id } }', {}, { token: a.token, jar: a.jar });
    expect(notes.body.data!.notes).toEqual([]);
    socket.close();
  });

  it('T56 signIn, signOut and refreshAccessToken over the socket are refused in every spelling and change nothing', async () => {
    const a = await signUp(t.url);
    const { socket, acked } = await connect(t.url, { authorization: `Bearer ${a.token}`, cookie: a.jar.header() });
    expect(acked).toBe(true);
    const sub = 'subscription S { noteAdded { id } }';
    const attempts: { query: string; operationName?: string; variables?: Record<string, unknown> }[] = [
      { query: SIGN_IN, variables: { email: a.email, password: PASSWORD } },
      { query: SIGN_OUT },
      { query: REFRESH_ACCESS_TOKEN },
      { query: SIGN_OUT_EVERYWHERE },
      { query: 'mutation { signOut }' },
      { query: '{ me { id } }' },
      { query: 'query Q { me { id } }' },
      // A subscription in the same document does not carry a mutation in with it.
      { query: `${sub} mutation M { signOut }`, operationName: 'M' },
      { query: `mutation M { refreshAccessToken { accessToken } } ${sub}`, operationName: 'M' },
      { query: `fragment F on Mutation { signOut } mutation M { ...F }`, operationName: 'M' },
      { query: 'mutation A { signOut } mutation B { signOutEverywhere }' }, // ambiguous: no operation
    ];
    for (const [i, payload] of attempts.entries()) {
      socket.send({ id: `m${i}`, type: 'subscribe', payload });
      // Refused by the subscriptions-only rule, or first by Yoga's own "no mutation over GET" rule
      // (the adapter's request is a GET): two layers, and queries meet only the first.
      expect(await socket.next((m) => m.id === `m${i}`), JSON.stringify(payload)).toMatchObject({
        type: 'error',
        payload: [
          { message: expect.stringMatching(/Only subscriptions|mutation operation from a POST|Could not determine what operation/) },
        ],
      });
    }
    expect(socket.messages.filter((m) => m.type === 'next')).toEqual([]);
    // Nothing changed: the socket is open, the session live and its only one, its refresh token
    // never rotated (the jar's token still rotates normally, not as a spent one), no Set-Cookie.
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    const sessions = await t.api.prisma.session.findMany({ where: { userId: a.user.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.revokedAt).toBeNull();
    expect(await t.api.prisma.refreshToken.count({ where: { sessionId: sessions[0]!.id } })).toBe(1);
    const me = await graphql<{ me: { id: string } | null }>(t.url, ME, {}, { token: a.token, jar: a.jar });
    expect(me.body.data!.me?.id).toBe(a.user.id);
    const rotated = await refresh(t.url, a.jar);
    expect(rotated.status).toBe(200);
    expect(rotated.body.data!.refreshAccessToken.accessToken).toEqual(expect.any(String));
    socket.close();
  });

  it('a subscription over HTTP (SSE) is refused: nothing would end that stream on revocation', async () => {
    const a = await signUp(t.url);
    const r = await graphql(t.url, NOTE_ADDED, {}, { token: a.token, jar: a.jar });
    expect(r.body.data ?? null).toBeNull();
    expect(r.body.errors?.[0]?.message).toMatch(/graphql-ws only/);
  });
});

describe('subscriptions: cross-site WebSocket hijacking', () => {
  it('T15 an upgrade with a foreign Origin is refused (403), even with valid credentials', async () => {
    const a = await signUp(t.url);
    const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/graphql`, PROTOCOL, {
      headers: { origin: 'https://evil.example', cookie: a.jar.header() },
    });
    const socket = new Socket(ws);
    expect(await socket.upgradeRefused).toBe(403);
  });

  it('an upgrade without an Origin header (not a browser) still needs token + fingerprint', async () => {
    const a = await signUp(t.url);
    const socket = await open(t.url, { cookie: a.jar.header() });
    socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${a.token}` } });
    expect(await socket.next((m) => m.type === 'connection_ack')).toMatchObject({ type: 'connection_ack' });
    socket.close();
  });
});

describe('subscriptions: a live socket never outlives its authorisation', () => {
  it('sign-out closes the live socket with 4403 at once', async () => {
    const a = await signUp(t.url);
    const socket = await subscribe(t.url, a);
    const before = Date.now();
    await graphql(t.url, SIGN_OUT, {}, { token: a.token, jar: a.jar });
    const closed = await socket.closed;
    expect(closed.code).toBe(WS_CLOSE_FORBIDDEN);
    expect(closed.at - before).toBeLessThan(1000);
  });

  it('T48 sign-out everywhere closes every live socket of the user with 4403, nobody else’s', async () => {
    const laptop = await signUp(t.url);
    const phone = await signIn(t.url, laptop.email);
    const other = await signUp(t.url);
    const s1 = await subscribe(t.url, laptop);
    const s2 = await subscribe(t.url, phone);
    const s3 = await subscribe(t.url, other);
    await graphql(t.url, SIGN_OUT_EVERYWHERE, {}, { token: laptop.token, jar: laptop.jar });
    expect((await s1.closed).code).toBe(WS_CLOSE_FORBIDDEN);
    expect((await s2.closed).code).toBe(WS_CLOSE_FORBIDDEN);
    expect(s3.ws.readyState).toBe(WebSocket.OPEN);
    s3.close();
  });

  it('revokeSession from another device closes that session’s socket with 4403 at once', async () => {
    const laptop = await signUp(t.url);
    const phone = await signIn(t.url, laptop.email);
    const phoneSocket = await subscribe(t.url, phone);
    const laptopSocket = await subscribe(t.url, laptop);
    const list = await graphql<{ sessions: { id: string; current: boolean }[] }>(
      t.url,
      SESSIONS,
      {},
      { token: laptop.token, jar: laptop.jar },
    );
    const phoneSession = list.body.data!.sessions.find((s) => !s.current)!;
    await graphql(t.url, REVOKE_SESSION, { id: phoneSession.id }, { token: laptop.token, jar: laptop.jar });
    expect((await phoneSocket.closed).code).toBe(WS_CLOSE_FORBIDDEN);
    expect(laptopSocket.ws.readyState).toBe(WebSocket.OPEN);
    // The token of the revoked session cannot open a new socket either.
    const again = await connect(t.url, { authorization: `Bearer ${phone.token}`, cookie: phone.jar.header() });
    expect(again.acked).toBe(false);
    expect((await again.socket.closed).code).toBe(WS_CLOSE_UNAUTHENTICATED);
    laptopSocket.close();
  });
});

describe('subscriptions: access token expiry', () => {
  let short: TestApi;
  beforeAll(async () => {
    short = await startTestApi({ ACCESS_TOKEN_TTL_SECONDS: '2' });
  });
  afterAll(() => short?.close());

  // Decision: the socket closes at `exp` itself, not at exp + the verifier's 5 s clock tolerance.
  // The tolerance absorbs skew between the machine that issued a token and another that verifies
  // it; the socket's deadline is measured on the clock that verified it, so there is none to absorb.
  it('T15 the socket closes with 4401 when its access token expires (at exp, not exp + tolerance)', async () => {
    const a = await signUp(short.url);
    const exp = expClaim(a.token) * 1000;
    const socket = await subscribe(short.url, a);
    const closed = await socket.closed;
    expect(closed.code).toBe(WS_CLOSE_UNAUTHENTICATED);
    expect(closed.at).toBeGreaterThanOrEqual(exp - 50);
    expect(closed.at).toBeLessThan(exp + 1000);

    // The same token, still inside the HTTP verifier's tolerance, cannot open a new socket.
    const again = await connect(short.url, { authorization: `Bearer ${a.token}`, cookie: a.jar.header() });
    expect(again.acked).toBe(false);
    expect((await again.socket.closed).code).toBe(WS_CLOSE_UNAUTHENTICATED);
  });
});
