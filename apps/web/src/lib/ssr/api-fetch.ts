// The fetch that server-side rendering uses for its API calls (the refresh, then the page's data):
// node:http over ONE keep-alive agent per process, like the /api/graphql proxy (server/api-proxy.ts).
//
// WHY not the global fetch (undici): a page render makes two small sequential POSTs on loopback or a
// private network; profiled under `next start` (bench, "SSR TTFB"), undici's fetch machinery
// (Request/Response web streams, body iteration, abort wiring) was a measurable share of the
// web server's time per signed-in page. node:http with a kept-alive agent sends each POST in one
// write and reuses the connection. Same contract as fetch for what SSR needs: method, headers,
// string body, AbortSignal (the page's deadline, ./api-deadline.ts). `apiRequest` answers with the
// raw status, headers and body (the refresh needs no more); `apiFetch` wraps it in a standard
// Response for Apollo's HttpLink. Either way Set-Cookie lines stay separate, as the API wrote them.
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

// WHY a timeout: a kept-alive socket must be dropped BEFORE the API closes it, or a POST written as
// the API's FIN arrives fails with ECONNRESET (an error page for no reason). Node's agent shortens
// an idle socket's life to the API's `Keep-Alive: timeout=N` hint minus 1 s, but only when the agent
// has a timeout of its own to shorten; Node's server default is 5 s.
export const IDLE_SOCKET_TIMEOUT_MS = 4_000;
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_TIMEOUT_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_TIMEOUT_MS }),
};

/** Body-less statuses: `new Response(body)` refuses a body for these. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    // WHY one append per value: each Set-Cookie must reach the browser as the API wrote it.
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

function requestHeaders(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => (out[name] = value));
  return out;
}

/** What the page server sends the API: a method, plain headers, a string body, the page's deadline. */
export type ApiRequestInit = { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal };

/** The API's answer as it came off the wire: Set-Cookie stays an array of lines, as the API wrote them. */
export type ApiAnswer = { status: number; statusText: string; headers: IncomingHttpHeaders; body: Buffer<ArrayBuffer> };

/**
 * One request to the API, answered with the raw status, headers and body. The refresh reads only
 * those (./refresh-with-cookies.ts), so it skips building a web Response (Headers, a body stream,
 * its reader), which profiled as a visible share of a signed-in page's time on the web server
 * (bench, "SSR TTFB"; issue 12). Settles exactly once, never throws from a socket event.
 */
export const apiRequest = (input: string | URL, init: ApiRequestInit): Promise<ApiAnswer> =>
  new Promise<ApiAnswer>((resolve, reject) => {
    const url = new URL(input);
    const agent = agents[url.protocol as keyof typeof agents];
    if (!agent) return reject(new TypeError(`apiFetch: unsupported protocol ${url.protocol}`));
    const { body, signal } = init;
    const headers = { ...init.headers };
    if (body) headers['content-length'] = String(Buffer.byteLength(body));
    let answered = false;
    const request = (url.protocol === 'https:' ? https : http).request(url, { method: init.method, headers, agent, signal }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      // The deadline can abort mid-body: then there is no 'end', only 'close'.
      res.on('close', () => {
        if (!res.complete) reject(signal?.reason ?? new Error('apiFetch: response ended early'));
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 502, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    request.on('error', reject);
    // A 101 answer hands the socket to 'upgrade' listeners (none: Node destroys it) and no response
    // callback ever runs: without these the call would never settle.
    request.on('upgrade', (_res, socket) => {
      socket.destroy();
      reject(new Error('apiFetch: unexpected protocol switch'));
    });
    request.on('close', () => {
      if (!answered) reject(signal?.reason ?? new Error('apiFetch: connection closed without an answer'));
    });
    request.end(body);
  });

/** `apiRequest` behind fetch's interface, for Apollo's HttpLink (a page loader's own queries). */
export const apiFetch: typeof fetch = async (input, init) => {
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string') throw new TypeError('apiFetch: only string bodies');
  const answer = await apiRequest(input instanceof Request ? input.url : String(input), {
    method: init?.method ?? 'GET',
    headers: requestHeaders(init),
    ...(body ? { body } : {}),
    ...(init?.signal ? { signal: init.signal } : {}),
  });
  // `new Response` refuses what HTTP/1.1 allows on the wire (a status outside 200–599, a reason
  // phrase with control characters): that is a failed call (a rejection), not a crash.
  const payload = NULL_BODY_STATUSES.has(answer.status) ? null : answer.body;
  return new Response(payload, { status: answer.status, statusText: answer.statusText, headers: toHeaders(answer.headers) });
};
