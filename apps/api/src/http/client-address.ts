// The client's IP address, for rate limiting. X-Forwarded-For is believed only when the TCP peer
// is one of our own proxies (the web app's /api/graphql proxy); otherwise anyone could pick their
// own rate-limit bucket by sending the header (OWASP Authentication CS, "Rate limiting" caveats).
import type { IncomingMessage } from 'node:http';

export function clientAddress(req: IncomingMessage | undefined, trustedProxies: ReadonlySet<string>): string {
  const peer = req?.socket.remoteAddress ?? 'unknown';
  if (!trustedProxies.has(peer)) return peer;
  const forwarded = req?.headers['x-forwarded-for'];
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  // The right-most address not added by one of our proxies is the one our proxy actually saw.
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trustedProxies.has(hops[i]!)) return hops[i]!;
  }
  return peer;
}
