// The client's IP address, for rate limiting. X-Forwarded-For is believed only when the TCP peer
// is one of our own proxies (the web app's /api/graphql proxy); otherwise anyone could pick their
// own rate-limit bucket by sending the header (OWASP Authentication CS, "Rate limiting" caveats; T57).
import type { IncomingMessage } from 'node:http';
import { isIP, isIPv4 } from 'node:net';

export function clientAddress(req: IncomingMessage | undefined, trustedProxies: ReadonlySet<string>): string {
  const trusted = canonicalSet(trustedProxies);
  const peer = canonicalAddress(req?.socket.remoteAddress ?? 'unknown');
  if (!trusted.has(peer)) return peer;
  const forwarded = req?.headers['x-forwarded-for'];
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((h) => canonicalAddress(h.trim()))
    .filter(Boolean);
  // The right-most address not added by one of our proxies is the one our proxy actually saw.
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trusted.has(hops[i]!)) return hops[i]!;
  }
  return peer;
}

/** The configured proxies, canonical, once per configured set (it is read on every sign-in and refresh). */
const canonicalSets = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();
function canonicalSet(addresses: ReadonlySet<string>): ReadonlySet<string> {
  let canonical = canonicalSets.get(addresses);
  if (!canonical) canonicalSets.set(addresses, (canonical = new Set([...addresses].map(canonicalAddress))));
  return canonical;
}

/**
 * One spelling per address: an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, how a dual-stack
 * socket reports an IPv4 peer) is the IPv4 address; IPv6 is lower-cased and fully expanded, with
 * no zone. Anything that is not an IP address is returned as given.
 */
export function canonicalAddress(address: string): string {
  const unzoned = address.split('%')[0]!;
  if (isIP(unzoned) !== 6) return address;
  const hextets = expandIPv6(unzoned);
  const mapped = hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff;
  if (mapped) return [hextets[6]! >> 8, hextets[6]! & 0xff, hextets[7]! >> 8, hextets[7]! & 0xff].join('.');
  return hextets.map((h) => h.toString(16)).join(':');
}

/**
 * The rate-limit bucket of an address. An IPv6 client is bucketed by its /64: one subscriber
 * line or host normally gets a whole /64 (RFC 6177, RFC 7421), so per-address buckets would
 * hand it 2^64 budgets. IPv4 addresses are buckets of their own.
 */
export function rateLimitBucket(address: string): string {
  const canonical = canonicalAddress(address);
  if (isIPv4(canonical) || isIP(canonical) !== 6) return canonical;
  return `${canonical.split(':').slice(0, 4).join(':')}::/64`;
}

/** Eight 16-bit numbers for a valid IPv6 address (embedded IPv4 tail included). */
function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((h) => parseInt(h, 16));
}
