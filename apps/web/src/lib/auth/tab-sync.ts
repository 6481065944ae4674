// Cross-tab signals for this browser, over a BroadcastChannel (same origin, in memory, no storage).
// Only *events* cross tabs, never tokens: every tab gets its own token from SSR or a refresh.
//
// WHY: a sign-out must end the session everywhere the person can see it (OWASP Session Management CS,
// "Session Expiration": the client side must be cleared too). The server has already revoked the
// session; this makes the other tabs notice within a second instead of at their next request.

const CHANNEL_NAME = 'jwt-auth';
type Message = { type: 'signed-out' };

let channel: BroadcastChannel | undefined;

/** One channel per tab for sending and receiving: a channel never receives its own messages. */
function getChannel(): BroadcastChannel | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined;
  channel ??= new BroadcastChannel(CHANNEL_NAME);
  return channel;
}

export function announceSignOut(): void {
  getChannel()?.postMessage({ type: 'signed-out' } satisfies Message);
}

/** Call `handler` when another tab of this browser signs out. Returns an unsubscribe function. */
export function onSignOutElsewhere(handler: () => void): () => void {
  const ch = getChannel();
  if (!ch) return () => {};
  const listener = (event: MessageEvent<Message>) => {
    if (event.data?.type === 'signed-out') handler();
  };
  ch.addEventListener('message', listener);
  return () => ch.removeEventListener('message', listener);
}
