// Who the person behind a request is, as the API is told it: their user agent (shown on /sessions)
// and their address (for the API's rate limits, THREATS T57). Used by SSR (the API calls a page
// makes) and by the /api/graphql proxy (server/api-proxy.ts), so both tell the API the same thing.
//
// WHY set, never append: the API believes X-Forwarded-For from the web server, so whatever this
// header says is the client's rate-limit bucket. A client that sends its own X-Forwarded-For must
// not pick its bucket through us: we send the address of the TCP peer, and read an upstream
// proxy's X-Forwarded-For only when that peer is a proxy the operator named in WEB_TRUSTED_PROXIES
// (OWASP Authentication CS, rate limiting; RFC 7239 §8.1 on trusting forwarded headers).
import type { IncomingMessage } from 'node:http';

type Req = Pick<IncomingMessage, 'headers' | 'socket'>;

/** `::ffff:192.0.2.1` (IPv4 on a dual-stack socket) → `192.0.2.1`; anything else unchanged. */
export function canonicalAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return (mapped ? mapped[1]! : address).toLowerCase();
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:.]*:[0-9a-f:.]*$/i;
/** Looks like an IPv4 or IPv6 address (WEB_TRUSTED_PROXIES entries, X-Forwarded-For hops). */
export const isIpAddress = (s: string) => IPV4.test(s) || IPV6.test(s);

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy; then the right-most
 * X-Forwarded-For hop that is not a trusted proxy (the address our trusted proxy actually saw —
 * hops to its left were written by the client and prove nothing).
 */
export function clientAddress(req: Req, trusted: ReadonlySet<string>): string | undefined {
  const peer = req.socket.remoteAddress === undefined ? undefined : canonicalAddress(req.socket.remoteAddress);
  if (peer === undefined || !trusted.has(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => canonicalAddress(h.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (trusted.has(hop)) continue;
    return isIpAddress(hop) ? hop : peer;
  }
  return peer;
}

/** Headers for the API calls SSR makes on behalf of `req`. */
/** `trusted`: WEB_TRUSTED_PROXIES (../web-config.ts). */
export function forwardedHeaders(req: Req, trusted: ReadonlySet<string>): Record<string, string> {
  const headers: Record<string, string> = {};
  const ua = req.headers['user-agent'];
  if (ua) headers['user-agent'] = ua;
  const address = clientAddress(req, trusted);
  if (address) headers['x-forwarded-for'] = address;
  return headers;
}
