// GraphQL subscriptions over graphql-ws (`graphql-transport-ws`) on the API's own HTTP server and
// GraphQL path (docs/api-contract.md, "Subscriptions"). Composed of:
//  - the upgrade check here: the Origin must be one of our web origins (browsers do not apply
//    CORS to WebSockets and send cookies cross-site: Cross-Site WebSocket Hijacking; OWASP
//    WebSocket Security CS, RFC 6455 §10.2);
//  - socket-lifetimes.ts: authentication at `connection_init`, close at `exp` (4401) and on
//    revocation (4403), sockets per user;
//  - yoga-adapter.ts: each operation through Yoga's envelop, subscriptions only (T56);
//  - socket-limits.ts: it cannot exhaust the server — a socket that never sends `connection_init`
//    is closed (4408) after CONNECTION_INIT_TIMEOUT_MS (after an upgrade, Node's HTTP header and
//    request timeouts no longer apply), and subscriptions per socket, sockets per user and
//    messages per socket are capped (4429).
import type { IncomingMessage, Server } from 'node:http';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AccessTokens } from '../auth/access-token.js';
import type { IsRevoked } from '../auth/authenticate.js';
import type { Sessions } from '../auth/sessions.js';
import { closeSocket, createSocketLifetimes } from './socket-lifetimes.js';
import { DEFAULT_SOCKET_LIMITS, limitMessageRate, WS_CLOSE_TOO_MANY, type SocketLimits } from './socket-limits.js';
import { asErrors, createYogaAdapter } from './yoga-adapter.js';

/** How long an upgraded socket may stay silent before `connection_init` (graphql-ws closes it with 4408). */
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
  /** Caps on subscriptions, sockets and messages. */
  limits?: SocketLimits;
};

export type SubscriptionServer = { close(): Promise<void> };

export function startSubscriptionServer(deps: Deps): SubscriptionServer {
  const allowedOrigins = new Set(deps.allowedOrigins);
  const wss = new WebSocketServer({
    server: deps.server,
    path: deps.path,
    maxPayload: deps.maxPayloadBytes,
    // Refuse the upgrade itself (HTTP 403) for a foreign Origin. A request WITHOUT an Origin
    // header is not a browser (browsers always send it on a WebSocket handshake, RFC 6455 §4.1),
    // so it cannot be riding a victim's cookies: it must still present a token and the matching
    // fingerprint cookie, which only the owner has.
    verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
      const origin = req.headers.origin;
      if (origin === undefined || allowedOrigins.has(origin)) done(true);
      else done(false, 403, 'Forbidden');
    },
  });

  // Registered before useServer() adds graphql-ws's own listeners, so a message over the
  // budget is counted before graphql-ws handles it, and later ones never reach it.
  const limits = deps.limits ?? DEFAULT_SOCKET_LIMITS;
  wss.on('connection', (socket: WebSocket) =>
    limitMessageRate(socket, limits, () => closeSocket(socket, WS_CLOSE_TOO_MANY, 'Too many messages')),
  );

  const lifetimes = createSocketLifetimes({
    accessTokens: deps.accessTokens,
    sessions: deps.sessions,
    ...(deps.revocations ? { revocations: deps.revocations } : {}),
    ...(deps.isRevoked ? { isRevoked: deps.isRevoked } : {}),
    maxSocketsPerUser: limits.maxSocketsPerUser,
  });
  const adapter = createYogaAdapter({
    yoga: deps.yoga,
    path: deps.path,
    connectionOf: lifetimes.connectionOf,
    // graphql-ws has already registered this operation among the socket's live ones.
    admit: ({ socket, liveOperations }) => {
      if (liveOperations <= limits.maxSubscriptionsPerSocket) return null;
      closeSocket(socket, WS_CLOSE_TOO_MANY, 'Too many subscriptions');
      return asErrors(null, 'Too many subscriptions');
    },
  });

  const disposable = useServer<Record<string, unknown>>(
    {
      // Said explicitly, though it is graphql-ws's default: it is what ends a silent upgrade.
      connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
      onConnect: (ctx) => lifetimes.onConnectionInit(ctx.extra.socket, ctx.extra.request, ctx.connectionParams),
      ...adapter,
    },
    wss,
  );

  return {
    async close() {
      lifetimes.stop();
      await disposable.dispose();
    },
  };
}
