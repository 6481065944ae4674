// GraphQL subscriptions over graphql-ws (`graphql-transport-ws`) on the API's own HTTP server and
// GraphQL path (docs/api-contract.md, "Subscriptions"). A socket is a long-lived credential
// use, so it gets the same checks as an HTTP request, and then some:
//  1. the upgrade's Origin must be one of our web origins: browsers do not apply CORS to
//     WebSockets and send cookies cross-site, so without this any site could open a socket with
//     the victim's cookies (Cross-Site WebSocket Hijacking; OWASP WebSocket Security CS, RFC 6455 §10.2);
//  2. `connection_init` must carry `authorization: Bearer <jwt>`, checked by the SAME
//     `authenticate()` as HTTP, together with the fingerprint cookie of the UPGRADE request
//     (OWASP JWT CS, "Token Sidejacking"; T15). Any failure closes with 4401 before any data;
//  3. the socket never outlives its authorisation: closed with 4401 at the token's `exp` and with
//     4403 as soon as its session is revoked (sign-out, sign-out everywhere, revoke, password
//     change, refresh reuse — T48);
//  4. it cannot exhaust the server: a socket that never sends `connection_init` is closed (4408)
//     after CONNECTION_INIT_TIMEOUT_MS (after an upgrade, Node's HTTP header and request timeouts
//     no longer apply), and subscriptions per socket, sockets per user and messages per socket are
//     capped (4429; see socket-limits.ts).
import type { IncomingMessage, Server } from 'node:http';
import { WS_CLOSE_FORBIDDEN, WS_CLOSE_UNAUTHENTICATED } from '@app/shared';
import { getOperationAST, type ExecutionArgs, type GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createGraphQLError, type YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AccessTokens } from '../auth/access-token.js';
import { authenticate, type IsRevoked, type Viewer } from '../auth/authenticate.js';
import { readFingerprintCookie } from '../auth/cookies.js';
import type { Sessions } from '../auth/sessions.js';
import { DEFAULT_SOCKET_LIMITS, limitMessageRate, SocketsPerUser, WS_CLOSE_TOO_MANY, type SocketLimits } from './socket-limits.js';

/** (4) How long an upgraded socket may stay silent before `connection_init` (graphql-ws closes it with 4408). */
export const CONNECTION_INIT_TIMEOUT_MS = 3_000;

type Deps = {
  server: Server;
  path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yoga app; we only use getEnveloped
  yoga: YogaServerInstance<any, any>;
  accessTokens: AccessTokens;
  sessions: Sessions;
  /** Revocations made here AND by other API instances (defaults to this instance's own). */
  revocations?: { onRevoke(listener: (sessionIds: string[]) => void): () => void };
  /** Whether a session is revoked (defaults to this instance's deny-list; see server.ts). */
  isRevoked?: IsRevoked;
  allowedOrigins: string[];
  /** Largest accepted message; the same bound as an HTTP body (ws defaults to 100 MiB). */
  maxPayloadBytes: number;
  /** (4) Caps on subscriptions, sockets and messages. */
  limits?: SocketLimits;
};

/**
 * graphql-ws accepts only errors that are `instanceof` ITS `GraphQLError`; under a bundler or test
 * runner our own `graphql` import can be a second copy of the module (dual-package hazard), so
 * errors are (re)built with Yoga's factory, which shares graphql-ws's copy.
 */
function asErrors(error: unknown, fallback: string): GraphQLError[] {
  if (error instanceof Error && error.name === 'GraphQLError') {
    const { extensions } = error as GraphQLError;
    return [createGraphQLError(error.message, { extensions })];
  }
  return [createGraphQLError(fallback)];
}

export type SubscriptionServer = { close(): Promise<void> };

export function startSubscriptionServer(deps: Deps): SubscriptionServer {
  const { sessions } = deps;
  const allowedOrigins = new Set(deps.allowedOrigins);
  /** Live, authenticated sockets per session id, for revocation. */
  const socketsBySession = new Map<string, Set<WebSocket>>();

  const wss = new WebSocketServer({
    server: deps.server,
    path: deps.path,
    maxPayload: deps.maxPayloadBytes,
    // (1) Refuse the upgrade itself (HTTP 403) for a foreign Origin. A request WITHOUT an Origin
    // header is not a browser (browsers always send it on a WebSocket handshake, RFC 6455 §4.1),
    // so it cannot be riding a victim's cookies: it must still present a token and the matching
    // fingerprint cookie, which only the owner has.
    verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
      const origin = req.headers.origin;
      if (origin === undefined || allowedOrigins.has(origin)) done(true);
      else done(false, 403, 'Forbidden');
    },
  });

  const closeSocket = (socket: WebSocket, code: number, reason: string) => {
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
  };

  // (4) Registered before useServer() adds graphql-ws's own listeners, so a message over the
  // budget is counted before graphql-ws handles it, and later ones never reach it.
  const limits = deps.limits ?? DEFAULT_SOCKET_LIMITS;
  const socketsPerUser = new SocketsPerUser(limits.maxSocketsPerUser);
  wss.on('connection', (socket: WebSocket) =>
    limitMessageRate(socket, limits, () => closeSocket(socket, WS_CLOSE_TOO_MANY, 'Too many messages')),
  );

  // (3) Revocation reaches live sockets at once, not at their next message.
  const stopListening = (deps.revocations ?? sessions).onRevoke((sessionIds) => {
    for (const id of sessionIds) {
      for (const socket of socketsBySession.get(id) ?? []) closeSocket(socket, WS_CLOSE_FORBIDDEN, 'Session revoked');
    }
  });

  /** Binds an authenticated socket to its token's lifetime and its session; undone on close. */
  function track(socket: WebSocket, viewer: Viewer): void {
    const { sessionId } = viewer;
    const set = socketsBySession.get(sessionId) ?? new Set<WebSocket>();
    set.add(socket);
    socketsBySession.set(sessionId, set);
    // (3) Close at `exp` itself, without the verifier's clock tolerance: that leeway absorbs skew
    // between the issuing and a verifying machine, but this deadline is measured on the clock that
    // verified the token, so there is no skew to absorb (RFC 7519 §4.1.4: not accepted ON or after exp).
    const expiry = setTimeout(
      () => closeSocket(socket, WS_CLOSE_UNAUTHENTICATED, 'Access token expired'),
      Math.max(0, viewer.claims.exp * 1000 - Date.now()),
    );
    socket.once('close', () => {
      clearTimeout(expiry);
      set.delete(socket);
      if (set.size === 0 && socketsBySession.get(sessionId) === set) socketsBySession.delete(sessionId);
    });
  }

  const connections = new WeakMap<WebSocket, { authorization: string }>();

  const disposable = useServer<Record<string, unknown>>(
    {
      // (4) Said explicitly, though it is graphql-ws's default: it is what ends a silent upgrade.
      connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
      // (2) Authenticate once per socket, before `connection_ack`: graphql-ws refuses every
      // `subscribe` until then (it closes 4401 itself), so no data flows unauthenticated.
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        const authorization = ctx.connectionParams?.authorization;
        let viewer: Viewer | null = null;
        try {
          viewer = await authenticate(
            {
              authorization: typeof authorization === 'string' ? authorization : null,
              fingerprintCookie: readFingerprintCookie(request.headers.cookie ?? null),
            },
            { accessTokens: deps.accessTokens, isRevoked: deps.isRevoked ?? sessions.isRevoked },
          );
        } catch {
          viewer = null; // bad token / fingerprint / revoked: same answer as "no token"
        }
        // A token already past `exp` (accepted by the verifier's clock tolerance) gets no socket:
        // see the expiry deadline in track().
        if (!viewer || typeof authorization !== 'string' || viewer.claims.exp * 1000 <= Date.now()) {
          closeSocket(socket, WS_CLOSE_UNAUTHENTICATED, 'Unauthorized');
          return false;
        }
        if (socket.readyState !== socket.OPEN) return false; // the client left while we verified
        // (4) Checked and counted in the same tick, so concurrent connects cannot all pass.
        if (!socketsPerUser.tryAdd(viewer.userId, socket)) {
          closeSocket(socket, WS_CLOSE_TOO_MANY, 'Too many sockets');
          return false;
        }
        track(socket, viewer);
        // A revocation that landed while the token was being verified has already notified us.
        if (sessions.isRevoked(viewer.sessionId)) {
          closeSocket(socket, WS_CLOSE_FORBIDDEN, 'Session revoked');
          return false;
        }
        connections.set(socket, { authorization });
        return true;
      },

      // Every operation runs through Yoga's envelop (parse, validation limits, context building,
      // error masking), as in Yoga's graphql-ws integration guide. Its context is built by the
      // same authentication plugin as HTTP, from the socket's token and upgrade cookie.
      onSubscribe: async (ctx, _id, payload) => {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return asErrors(null, 'Unauthorized');
        // (4) graphql-ws has already registered this id among the socket's live operations.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
          closeSocket(ctx.extra.socket, WS_CLOSE_TOO_MANY, 'Too many subscriptions');
          return asErrors(null, 'Too many subscriptions');
        }
        const request = new Request(`http://localhost${deps.path}`, {
          headers: { authorization: connection.authorization, cookie: ctx.extra.request.headers.cookie ?? '' },
        });
        const { schema, execute, subscribe, contextFactory, parse, validate } = deps.yoga.getEnveloped({
          request,
          params: payload,
          transport: 'websocket',
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return asErrors(error, 'Syntax error');
        }
        // Only subscriptions: queries and mutations go over HTTP, where CSRF, body-size and
        // rate-limit checks and Set-Cookie live (OWASP GraphQL CS: one path per capability).
        if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
          return asErrors(null, 'Only subscriptions are served over WebSocket; use HTTP');
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        let contextValue;
        try {
          contextValue = await contextFactory();
        } catch (error) {
          return asErrors(error, 'Unauthorized');
        }
        const args: ExecutionArgs & { rootValue: { execute: typeof execute; subscribe: typeof subscribe } } = {
          schema,
          operationName: payload.operationName ?? null,
          document,
          variableValues: payload.variables ?? null,
          contextValue,
          rootValue: { execute, subscribe },
        };
        return args;
      },
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => never }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => never }).subscribe(args),
    },
    wss,
  );

  return {
    async close() {
      stopListening();
      await disposable.dispose();
    },
  };
}
