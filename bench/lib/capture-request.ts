// The request a web server sends its API for one signed-in page, exactly as the built app writes
// it (document, headers), so that the bench can send the API that same request on its own: the web
// server is started once with its API address pointing at a listener here, which records the first
// POST and answers that the session has ended (`refreshAccessToken: null`), so the page sends the
// browser to sign in at once. Nothing else is touched, and the bench copies no document.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { SequentialJob } from '../load/jobs.js';
import type { Service } from './processes.js';

const ENDED = JSON.stringify({ data: { refreshAccessToken: null } });

export type CapturedRequest = { path: string; headers: Record<string, string>; body: string };

/** Headers that belong to one connection or one browser, not to the request itself. */
const NOT_REPLAYED = new Set(['host', 'connection', 'content-length', 'cookie', 'keep-alive', 'transfer-encoding']);

export async function captureApiRequest(options: {
  /** Starts the web server with its API at `apiUrl` (the bench stops it again). */
  startWeb(apiUrl: string): Promise<Service>;
  /** The page, and the cookies that make it call its API. */
  page: string;
  cookie: string;
  port: number;
}): Promise<CapturedRequest> {
  let captured: CapturedRequest | undefined;
  const listener = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && !captured) {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && !NOT_REPLAYED.has(name)) headers[name] = value;
        }
        captured = { path: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(ENDED);
    });
  });
  listener.listen(options.port, '127.0.0.1');
  await once(listener, 'listening');
  try {
    const web = await options.startWeb(`http://127.0.0.1:${options.port}`);
    try {
      const page = await fetch(new URL(options.page, web.url), {
        headers: { cookie: options.cookie },
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      });
      await page.arrayBuffer();
    } finally {
      await web.stop();
    }
  } finally {
    listener.closeAllConnections();
    listener.close();
  }
  if (!captured) throw new Error(`${options.page} sent its API no POST: nothing to capture`);
  return captured;
}

/** The captured request sent again to the API at `apiUrl`, one at a time, each with the cookies the last answer set. */
export function replayJob(
  request: CapturedRequest,
  apiUrl: string,
  cookies: [string, string][],
  length: { seconds: number } | { count: number },
): SequentialJob {
  return {
    kind: 'sequential',
    method: 'POST',
    url: new URL(request.path, apiUrl).href,
    headers: request.headers,
    body: request.body,
    cookies,
    ...length,
    expectStatus: 200,
  };
}
