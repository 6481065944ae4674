// The API's front door, in front of Yoga: a request reaches Yoga only when its Host header is a
// well-formed host and its path is exactly one the API serves. Everything else is answered here.
//  - Host: Yoga builds the request URL from `http://${Host}${target}`. A malformed Host (`a b`)
//    made that throw (500 with a stack), and a crafted one (`x/graphql?`) could move the path the
//    plugins see. RFC 9112 §3.2: a request with an invalid Host gets 400.
//  - Path: Yoga serves GraphQL on any target whose URL *ends with* `/graphql` (`/graphql/`,
//    `/x?y=/graphql`), and answers `…/health` itself. Each extra spelling is one more place a
//    path-based rule (CSRF, limits) could be missed (T56), so the API answers exact paths only,
//    compared on the raw target without decoding; anything else is 404.
// Never a stack trace: these answers are fixed strings.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isIPv6 } from 'node:net';
import { ErrorCode } from '@app/shared';

/** reg-name (letters, digits, `-`, `.`, `_`) or IPv4, or a bracketed IPv6 literal; optional port. */
const HOST = /^(?:([A-Za-z0-9._-]+)|\[([0-9A-Fa-f:.]+)\])(?::(\d{1,5}))?$/;

/**
 * Hosts that passed the check below, so that the usual one or two spellings of our own host skip
 * the regex and the URL parse on every request. Only a valid host is remembered (a miss is simply
 * checked again), and the set is bounded: a client sending ever new valid hosts only empties it.
 */
const VALID_HOSTS = new Set<string>();
const MAX_REMEMBERED_HOSTS = 64;

export function isValidHost(host: string): boolean {
  if (VALID_HOSTS.has(host)) return true;
  if (!checkHost(host)) return false;
  if (VALID_HOSTS.size >= MAX_REMEMBERED_HOSTS) VALID_HOSTS.clear();
  VALID_HOSTS.add(host);
  return true;
}

function checkHost(host: string): boolean {
  const m = HOST.exec(host);
  if (!m) return false;
  if (m[2] !== undefined && !isIPv6(m[2])) return false;
  if (m[3] !== undefined && Number(m[3]) > 65535) return false;
  // The WHATWG URL parser is stricter still (e.g. `1.2.3.999` is an invalid IPv4 address).
  return URL.canParse(`http://${host}/`);
}

export function guardRequests(handler: RequestListener, options: { paths: ReadonlySet<string> }): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host;
    // HTTP/1.0 may omit Host (Node refuses an HTTP/1.1 request without one); a present one must be valid.
    if (host !== undefined && !isValidHost(host)) return refuse(res, 400, 'Malformed Host header');
    const target = req.url ?? '';
    const query = target.indexOf('?');
    const path = query === -1 ? target : target.slice(0, query);
    if (!options.paths.has(path)) return refuse(res, 404, 'Not found');
    handler(req, res);
  };
}

function refuse(res: ServerResponse, status: 400 | 404, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}
