// The Host request header (RFC 9110 §7.2): uri-host [":" port], uri-host from RFC 3986 §3.2.2.
// WHY check it here: Next.js and the URL parser both build URLs from it; a value such as `a b`
// made them throw (a 500 with a stack trace). A malformed Host is the client's error: 400, before
// anything else looks at the request.

// A DNS name (letters, digits, "-", "." and "_" as container names use), an IPv4 address, or a
// bracketed IPv6 literal; then an optional port.
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\.?)(?::[0-9]{1,5})?$/;

export function isValidHostHeader(host: string | undefined): host is string {
  if (host === undefined || host.length === 0 || host.length > 260 || !HOST.test(host)) return false;
  const port = /:([0-9]+)$/.exec(host.replace(/^\[.*\]/, ''))?.[1];
  if (port !== undefined && Number(port) > 65535) return false;
  // Whatever passed the pattern must also be what the URL parser takes as exactly this host.
  return URL.canParse(`http://${host}/`);
}
