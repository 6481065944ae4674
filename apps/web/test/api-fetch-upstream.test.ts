// apiFetch must settle (reject) on any upstream answer it cannot turn into a Response,
// never throw from inside a socket event (an uncaught exception ends the whole web server).
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { apiFetch } from '../src/lib/ssr/api-fetch';

let server: Server | undefined;
afterEach(async () => {
  server?.close();
  server = undefined;
});

/** An upstream that answers every request with exactly `raw`. */
async function upstream(raw: string): Promise<string> {
  server = createServer((socket) => {
    socket.once('data', () => socket.end(raw));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

/** apiFetch's outcome within `ms`, and any uncaught exception raised meanwhile. */
async function outcome(url: string, ms = 1_000) {
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  // Our listener first, so the test sees the exception (vitest would report it too).
  process.prependListener('uncaughtException', onUncaught);
  try {
    const settled = await Promise.race([
      apiFetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(ms / 2) }).then(
        (r) => `resolved ${r.status}`,
        (e: unknown) => `rejected ${(e as Error)?.name}`,
      ),
      new Promise<string>((r) => setTimeout(() => r('never settled'), ms)),
    ]);
    return { settled, uncaught: uncaught.map((e) => String(e)) };
  } finally {
    process.removeListener('uncaughtException', onUncaught);
  }
}

describe('apiFetch against a misbehaving upstream', () => {
  it('a status outside 200-599 is a rejected call, not an uncaught exception', async () => {
    const r = await outcome(await upstream('HTTP/1.1 999 Whatever\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi'));
    expect(r.uncaught).toEqual([]);
    expect(r.settled).toMatch(/^rejected|^resolved/);
  });

  it('a reason phrase that Response refuses is a rejected call, not an uncaught exception', async () => {
    const r = await outcome(await upstream('HTTP/1.1 200 O\x7fK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi'));
    expect(r.uncaught).toEqual([]);
    expect(r.settled).toMatch(/^rejected|^resolved/);
  });

  it('a 101 answer to a POST settles the call', async () => {
    const r = await outcome(await upstream('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n'));
    expect(r.uncaught).toEqual([]);
    expect(r.settled).not.toBe('never settled');
  });

  it('a connection closed before any answer rejects', async () => {
    server = createServer((socket) => socket.once('data', () => socket.destroy()));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const r = await outcome(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(r.uncaught).toEqual([]);
    expect(r.settled).toMatch(/^rejected/);
  });
});
