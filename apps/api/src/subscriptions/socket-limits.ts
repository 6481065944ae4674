// Resource caps for WebSocket subscriptions (OWASP WebSocket Security CS, "Denial of service";
// OWASP GraphQL CS, "DoS prevention"). A socket is long-lived and each message or subscription
// costs the server work and memory, so every dimension an authenticated client controls is bounded:
//  - subscriptions per socket (graphql-ws itself has no limit),
//  - sockets per user (each holds a timer, a revocation entry and a TCP connection),
//  - messages per socket per window (ws bounds a message's size, not how many arrive).
// Exceeding any of them closes the socket with 4429, the code graphql-ws already uses for a client
// that sends too much (its "Too many initialisation requests"); its client does not retry on it.
import type { WebSocket } from 'ws';

/** Close code: the client exceeded a subscription, socket or message limit (4429 ~ HTTP 429). */
export const WS_CLOSE_TOO_MANY = 4429;

export type SocketLimits = {
  maxSubscriptionsPerSocket: number;
  maxSocketsPerUser: number;
  /** Messages a socket may send per `messageWindowMs`. */
  maxMessagesPerWindow: number;
  messageWindowMs: number;
};

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  maxSubscriptionsPerSocket: 20,
  maxSocketsPerUser: 16,
  maxMessagesPerWindow: 100,
  messageWindowMs: 10_000,
};

/**
 * Counts `socket`'s messages in fixed windows and calls `exceeded` on the first one over the
 * budget; every later message is dropped before anyone parses it. Must be called BEFORE graphql-ws
 * attaches its own 'message' listener (listeners run in the order added). A plain counter rather
 * than a rate-limiter store: the decision has to be synchronous, inside the event that delivers
 * the message, and its state lives and dies with the socket.
 */
export function limitMessageRate(socket: WebSocket, limits: SocketLimits, exceeded: () => void): void {
  let windowStart = Date.now();
  let count = 0;
  const onMessage = () => {
    const now = Date.now();
    if (now - windowStart >= limits.messageWindowMs) {
      windowStart = now;
      count = 0;
    }
    count += 1;
    if (count > limits.maxMessagesPerWindow) {
      // Unhook every message listener (graphql-ws's too): what arrives until the close handshake
      // completes is discarded. (Listeners of the message being delivered still see that one.)
      socket.removeAllListeners('message');
      exceeded();
    }
  };
  socket.on('message', onMessage);
}

/** Live authenticated sockets per user id, at most `max` each. */
export class SocketsPerUser {
  private readonly byUser = new Map<string, Set<WebSocket>>();

  constructor(private readonly max: number) {}

  /** Registers `socket` for `userId` unless the user already has `max`; removed again on close. */
  tryAdd(userId: string, socket: WebSocket): boolean {
    const set = this.byUser.get(userId) ?? new Set<WebSocket>();
    if (set.size >= this.max) return false;
    set.add(socket);
    this.byUser.set(userId, set);
    socket.once('close', () => {
      set.delete(socket);
      if (set.size === 0 && this.byUser.get(userId) === set) this.byUser.delete(userId);
    });
    return true;
  }
}
