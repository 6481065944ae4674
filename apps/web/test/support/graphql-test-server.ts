// A tiny but real GraphQL endpoint (node:http + graphql-js + graphql-ws) that behaves like the API
// where the link chain cares: bearer tokens with iat/exp, a rotating refresh cookie, UNAUTHENTICATED
// with HTTP 401, the CSRF header rule. The unit tests drive the real Apollo links against it.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CSRF_HEADER, REFRESH_COOKIE } from '@app/shared';
import { buildSchema, graphql } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';

// The API's own schema (generated from apps/api/src/graphql/type-defs.ts by `pnpm codegen`).
const schema = buildSchema(readFileSync(new URL('../generated/schema.graphql', import.meta.url), 'utf8'));

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export type RecordedRequest = {
  method: string | undefined;
  contentType: string | undefined;
  operationName: string | undefined;
  authorization: string | undefined;
  csrf: string | undefined;
  cookie: string | undefined;
  forwardedFor: string | undefined;
  at: number;
};

export type TestServerOptions = {
  /** exp − iat of issued tokens. */
  ttlSeconds?: number;
  /** Delay before answering refreshAccessToken, so that operations pile up behind it. */
  refreshDelayMs?: number;
  /** Check connection_init's token like the API (4401 unless issued here and not revoked). */
  wsAuth?: boolean;
};

const USER = { id: 'u1', email: 'reader@example.com', createdAt: '2026-01-01T00:00:00.000Z' };
const NOTE = { id: 'n1', text: 'read with the refresh', createdAt: USER.createdAt };

export class GraphqlTestServer {
  readonly requests: RecordedRequest[] = [];
  readonly wsConnectionParams: unknown[] = [];
  /** Cookie header of each WebSocket upgrade request (the fingerprint travels there). */
  readonly wsUpgradeCookies: (string | undefined)[] = [];
  /** Close code of every socket the client closed or the server closed, in order. */
  readonly wsCloseCodes: number[] = [];
  /** When true, connection_init is refused with 4401 whatever the token (like a broken fingerprint). */
  wsRefuseAll = false;
  /** Runs while a connection_init is being accepted, before the ack (a slow server's window). */
  beforeWsAck: (() => void | Promise<void>) | undefined;
  /** For every subscription greeting sent: which connection (index in wsConnectionParams) it went on. */
  readonly wsGreetings: number[] = [];
  readonly #connectionIndex = new WeakMap<object, number>();
  readonly #sockets = new Set<WebSocket>();
  readonly #subscribers = new Set<(note: { id: string; text: string; createdAt: string }) => void>();
  /** X-Forwarded-For of each WebSocket upgrade request. */
  readonly wsUpgradeForwardedFor: (string | string[] | undefined)[] = [];
  /** Tokens the server currently accepts. */
  readonly #valid = new Set<string>();
  #serial = 0;
  #refreshGeneration = 0;
  /** What the next refreshAccessToken answers. */
  refreshMode: 'ok' | 'unauthenticated' | 'unavailable' = 'ok';
  /** An operation the server receives and never answers (a stuck API). */
  stallOperation: string | undefined;
  #server: Server | undefined;
  url = '';
  wsUrl = '';

  constructor(private readonly options: TestServerOptions = {}) {}

  /** Mint a token (unsigned: the links never verify; the server checks its own list). */
  issueToken(): string {
    const iat = 1_800_000_000 + this.#serial;
    const jwt = [
      b64url({ alg: 'EdDSA', typ: 'at+jwt', kid: 'test' }),
      b64url({ sub: USER.id, iat, exp: iat + (this.options.ttlSeconds ?? 300), jti: `jti-${++this.#serial}` }),
      'test-signature',
    ].join('.');
    this.#valid.add(jwt);
    return jwt;
  }

  /** The server stops accepting every token issued so far (a revoked session). */
  revokeAll(): void {
    this.#valid.clear();
  }

  /** Deliver a noteAdded event to every live subscription. */
  publish(note: { id: string; text: string }): void {
    for (const deliver of this.#subscribers) deliver({ ...note, createdAt: USER.createdAt });
  }

  /** How many noteAdded subscriptions are listening right now. */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Close every open socket with `code`, as the API does at `exp` (4401) or on revocation (4403). */
  closeSockets(code: number, reason = 'closed by the test server'): void {
    for (const socket of this.#sockets) socket.close(code, reason);
  }

  count(operationName: string): number {
    return this.requests.filter((r) => r.operationName === operationName).length;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.#handle(req, res));
    const wss = new WebSocketServer({ server, path: '/graphql' });
    useServer(
      {
        schema,
        onConnect: async (ctx) => {
          this.wsConnectionParams.push(ctx.connectionParams);
          this.#connectionIndex.set(ctx.extra.socket, this.wsConnectionParams.length - 1);
          this.wsUpgradeCookies.push(ctx.extra.request.headers.cookie);
          this.wsUpgradeForwardedFor.push(ctx.extra.request.headers['x-forwarded-for']);
          const { socket } = ctx.extra;
          // Like the API: a missing, unknown or expired token closes with 4401 before any data.
          const auth = ctx.connectionParams?.['authorization'];
          const token = typeof auth === 'string' ? auth.replace(/^Bearer /, '') : '';
          if (this.wsRefuseAll || (this.options.wsAuth && !this.#valid.has(token))) {
            socket.close(4401, 'Unauthorized');
            return false;
          }
          this.#sockets.add(socket);
          socket.once('close', (code) => {
            this.#sockets.delete(socket);
            this.wsCloseCodes.push(code);
          });
          await this.beforeWsAck?.();
          return true;
        },
        onNext: (ctx, _id, _payload, _args, result) => {
          const note = (result.data as { noteAdded?: { id: string } } | undefined)?.noteAdded;
          if (note?.id === 'n-ws') this.wsGreetings.push(this.#connectionIndex.get(ctx.extra.socket) ?? -1);
        },
        roots: {
          subscription: {
            // First a greeting (so a test knows the subscription is live), then every published note.
            noteAdded: () => this.#noteStream(),
          },
        },
      },
      wss,
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/graphql`;
    this.wsUrl = `ws://127.0.0.1:${port}/graphql`;
    this.#server = server;
    return this;
  }

  async *#noteStream(): AsyncGenerator<{ noteAdded: { id: string; text: string; createdAt: string } }> {
    const pending: { id: string; text: string; createdAt: string }[] = [];
    let wake = () => {};
    const deliver = (note: (typeof pending)[number]) => {
      pending.push(note);
      wake();
    };
    this.#subscribers.add(deliver);
    try {
      yield { noteAdded: { id: 'n-ws', text: 'over ws', createdAt: USER.createdAt } };
      for (;;) {
        while (pending.length > 0) yield { noteAdded: pending.shift()! };
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      this.#subscribers.delete(deliver);
    }
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  async #handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {
      query?: string;
      variables?: Record<string, unknown>;
      operationName?: string;
    };
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(',') : v;
    };
    this.requests.push({
      method: req.method,
      contentType: header('content-type'),
      operationName: body.operationName,
      authorization: header('authorization'),
      csrf: header(CSRF_HEADER),
      cookie: header('cookie'),
      forwardedFor: header('x-forwarded-for'),
      at: Date.now(),
    });
    if (body.operationName !== undefined && body.operationName === this.stallOperation) return;
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const unauthenticated = () => send(401, { errors: [{ message: 'Not signed in', extensions: { code: 'UNAUTHENTICATED' } }] });

    if (!header(CSRF_HEADER)) return send(403, { errors: [{ message: 'CSRF header missing' }] });

    if (body.operationName === 'RefreshAccessToken') {
      await new Promise((r) => setTimeout(r, this.options.refreshDelayMs ?? 0));
      if (this.refreshMode === 'unauthenticated') return unauthenticated();
      if (this.refreshMode === 'unavailable') return send(503, { errors: [{ message: 'down' }] });
      const accessToken = this.issueToken();
      const cookie = `${REFRESH_COOKIE}=r${++this.#refreshGeneration}; Path=/; HttpOnly; Secure; SameSite=Strict`;
      // Executed like any other operation, so the answer has exactly the selection the client asked for.
      const result = await graphql({
        schema,
        source: body.query ?? '',
        rootValue: {
          refreshAccessToken: () => ({
            accessToken,
            accessTokenExpiresAt: new Date().toISOString(),
            user: USER,
            // AuthPayload.query: the page's data, read as the refreshed session (one round trip).
            query: { me: USER, notes: () => [NOTE], sessions: () => [] },
          }),
        },
      });
      return send(200, result, { 'set-cookie': cookie });
    }

    const auth = header('authorization');
    if (auth !== undefined) {
      const token = auth.replace(/^Bearer /, '');
      // Contract: a present-but-bad token is never treated as anonymous.
      if (!this.#valid.has(token)) return unauthenticated();
    }
    const result = await graphql({
      schema,
      source: body.query ?? '',
      variableValues: body.variables ?? {},
      rootValue: {
        me: () => (auth ? USER : null),
        notes: () => [],
        addNote: ({ text }: { text: string }) => ({ id: `n${this.requests.length}`, text, createdAt: USER.createdAt }),
      },
    });
    send(200, result);
  }
}
