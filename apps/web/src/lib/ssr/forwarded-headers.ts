// What the API learns about the person behind a server-side request: their user agent (shown on
// /sessions) and their address (for rate limiting), the way the HTTP proxy forwards them too.
import type { IncomingMessage } from 'node:http';

export function forwardedHeaders(req: Pick<IncomingMessage, 'headers' | 'socket'>): Record<string, string> {
  const headers: Record<string, string> = {};
  const ua = req.headers['user-agent'];
  if (ua) headers['user-agent'] = ua;
  // Append the peer address like a proxy does; the API decides how many hops it trusts.
  const prior = req.headers['x-forwarded-for'];
  const peer = req.socket.remoteAddress;
  const chain = [...(typeof prior === 'string' && prior ? [prior] : []), ...(peer ? [peer] : [])];
  if (chain.length) headers['x-forwarded-for'] = chain.join(', ');
  return headers;
}
