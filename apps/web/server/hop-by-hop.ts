// Hop-by-hop header fields belong to one connection and must not be forwarded by a proxy
// (RFC 9110 §7.6.1): Connection, the fields it names, and the fixed list below. Forwarding them
// lets a client steer the proxy's connection to the API (e.g. `Connection: close, X-Forwarded-For`
// makes a naive proxy drop a header it set) and lets one side's framing leak into the other's.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The header names `headers` declares hop-by-hop: the fixed list plus those named in Connection. */
export function hopByHopNames(headers: IncomingHttpHeaders): Set<string> {
  const names = new Set(HOP_BY_HOP);
  const connection = headers['connection'];
  for (const value of Array.isArray(connection) ? connection : [connection ?? '']) {
    for (const token of value.split(',')) {
      const name = token.trim().toLowerCase();
      if (name) names.add(name);
    }
  }
  return names;
}

/** A copy of `headers` (lower-case names, as node:http parses them) without any hop-by-hop field. */
export function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const drop = hopByHopNames(headers);
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !drop.has(name.toLowerCase())) kept[name] = value;
  }
  return kept;
}
