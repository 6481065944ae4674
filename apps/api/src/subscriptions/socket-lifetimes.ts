// How long an authenticated socket lives (docs/api-contract.md, "Subscriptions"). A socket is a
// long-lived credential use, so it gets the same checks as an HTTP request, and then some:
//  - `connection_init` must carry `authorization: Bearer <jwt>`, checked by the SAME
//    `authenticate()` as HTTP, together with the fingerprint cookie of the UPGRADE request
//    (OWASP JWT CS, "Token Sidejacking"; T15). Any failure closes with 4401 before any data;
//  - the socket never outlives its authorisation: closed with 4401 at the token's `exp` and with
//    4403 as soon as its session is revoked (sign-out, sign-out everywhere, revoke, password
//    change, refresh reuse — T48);
//  - sockets per user are capped (4429; see socket-limits.ts).
import type { IncomingMessage } from 'node:http';
import { WS_CLOSE_FORBIDDEN, WS_CLOSE_UNAUTHENTICATED } from '@app/shared';
import type { WebSocket } from 'ws';
import type { AccessTokens } from '../auth/access-token.js';
import { authenticate, type IsRevoked, type Viewer } from '../auth/authenticate.js';
import { readFingerprintCookie } from '../auth/cookies.js';
import type { Sessions } from '../auth/sessions.js';
import { SocketsPerUser, WS_CLOSE_TOO_MANY } from './socket-limits.js';

/** What an authenticated socket's operations run with: its token, re-checked per operation by Yoga. */
export type SocketConnection = { authorization: string };

export const closeSocket = (socket: WebSocket, code: number, reason: string) => {
  if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
};

export function createSocketLifetimes(deps: {
  accessTokens: AccessTokens;
  sessions: Sessions;
  /** Revocations made here AND by other API instances (defaults to this instance's own). */
  revocations?: { onRevoke(listener: (sessionIds: string[]) => void): () => void };
  /** Whether a session is revoked (defaults to this instance's deny-list; see server.ts). */
  isRevoked?: IsRevoked;
  maxSocketsPerUser: number;
}) {
  const { sessions } = deps;
  /** Live, authenticated sockets per session id, for revocation. */
  const socketsBySession = new Map<string, Set<WebSocket>>();
  const connections = new WeakMap<WebSocket, SocketConnection>();
  const socketsPerUser = new SocketsPerUser(deps.maxSocketsPerUser);

  // Revocation reaches live sockets at once, not at their next message.
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
    // Close at `exp` itself, without the verifier's clock tolerance: that leeway absorbs skew
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

  /**
   * `connection_init`: authenticate once per socket, before `connection_ack` (graphql-ws refuses
   * every `subscribe` until then, closing 4401 itself, so no data flows unauthenticated).
   * Returns whether the socket may stay; a refused one is closed here with its code.
   */
  async function onConnectionInit(
    socket: WebSocket,
    upgrade: IncomingMessage,
    connectionParams: Readonly<Record<string, unknown>> | undefined,
  ): Promise<boolean> {
    const authorization = connectionParams?.authorization;
    let viewer: Viewer | null = null;
    try {
      viewer = await authenticate(
        {
          authorization: typeof authorization === 'string' ? authorization : null,
          fingerprintCookie: readFingerprintCookie(upgrade.headers.cookie ?? null),
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
    // Checked and counted in the same tick, so concurrent connects cannot all pass.
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
  }

  return {
    onConnectionInit,
    /** The socket's connection if it was authenticated, else undefined. */
    connectionOf: (socket: WebSocket) => connections.get(socket),
    stop: stopListening,
  };
}
