// Raw HTTP/1.1 over a TCP socket, for attack tests that must send bytes a well-behaved client
// refuses to send: control characters and non-Latin-1 text in header values, duplicate headers,
// headers larger than the server's limit. `fetch` (undici) rejects or normalises all of these, so
// an attacker's real requests cannot be reproduced with it. No mocks: this talks to the real server.
//
// Each request uses its own connection (`Connection: close`) and reads until the server closes it,
// so a response can always be attributed to its request. The response is parsed minimally
// (status line, headers, Content-Length or chunked body).
import net from 'node:net';

export type RawHeader = [name: string, value: string | Buffer];

export type RawResponse = {
  status: number;
  /** Lower-cased header names; repeated headers keep every value. */
  headers: Map<string, string[]>;
  body: string;
};

export type RawRequest = {
  method?: string;
  /** Request target, e.g. `/graphql?query=…`. */
  path: string;
  /** Sent in this order, as separate lines; string values are encoded as UTF-8. */
  headers?: RawHeader[];
  body?: string | Buffer;
  /** The Host header's value, byte for byte (default: the server's host:port); null sends none. */
  host?: string | Buffer | null;
};

/**
 * Header values are written as given, byte for byte, except CR and LF: those end a header line,
 * so a value containing them would be a different request (other header lines), not a different
 * value. They are replaced by a space.
 */
export function headerBytes(value: string | Buffer): Buffer {
  const bytes = Buffer.isBuffer(value) ? Buffer.from(value) : Buffer.from(value, 'utf8');
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0d || bytes[i] === 0x0a) bytes[i] = 0x20;
  return bytes;
}

export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const lines: Buffer[] = [Buffer.from(`${request.method ?? 'GET'} ${request.path} HTTP/1.1\r\n`)];
  if (request.host !== null) lines.push(Buffer.from('Host: '), headerBytes(request.host ?? `${hostname}:${port}`), Buffer.from('\r\n'));
  lines.push(Buffer.from('Connection: close\r\n'));
  for (const [name, value] of request.headers ?? []) {
    lines.push(Buffer.from(`${name}: `, 'latin1'), headerBytes(value), Buffer.from('\r\n'));
  }
  if (body) lines.push(Buffer.from(`Content-Length: ${body.length}\r\n`));
  lines.push(Buffer.from('\r\n'));
  if (body) lines.push(body);

  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    // Not `end()`: Node's HTTP server aborts a request whose client half-closes the connection
    // before the answer is written. The server closes it after answering (`Connection: close`).
    socket.write(Buffer.concat(lines));
  });
}

function parseResponse(raw: Buffer): RawResponse {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`incomplete HTTP response (${raw.length} bytes): ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`);
  const [statusLine, ...headerLines] = raw.subarray(0, split).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1];
  if (!status) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine)}`);
  const headers = new Map<string, string[]>();
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  let payload = raw.subarray(split + 4);
  if (headers.get('transfer-encoding')?.some((v) => /chunked/i.test(v))) payload = dechunk(payload);
  const length = headers.get('content-length')?.[0];
  if (length !== undefined) payload = payload.subarray(0, Number(length));
  return { status: Number(status), headers, body: payload.toString('utf8') };
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) throw new Error('truncated chunked body');
    const size = parseInt(data.subarray(at, eol).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size)) throw new Error('bad chunk size');
    if (size === 0) return Buffer.concat(out);
    out.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
