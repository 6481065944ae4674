// SSR's transport to the API (node:http, kept-alive), against a real upstream server.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFetch, apiRequest } from '../src/lib/ssr/api-fetch';
import { EchoServer } from './support/echo-server';

let echo: EchoServer;
let silent: Server;
let silentOrigin: string;

beforeAll(async () => {
  echo = await new EchoServer().start();
  // Accepts the request and never answers: only the signal can end it.
  silent = createServer(() => undefined);
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  silentOrigin = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await echo.stop();
  silent.closeAllConnections();
  await new Promise((r) => silent.close(r));
});

describe('apiFetch', () => {
  it('sends the method, headers and body, and answers with a standard Response', async () => {
    const body = JSON.stringify({ query: '{ __typename }', note: 'é' });
    const response = await apiFetch(`${echo.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1', cookie: 'a=1' },
      body,
    });
    expect(response.status).toBe(200);
    const received = (await response.json()) as { method: string; url: string; headers: Record<string, string> };
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/graphql');
    expect(received.headers['x-graphql-yoga-csrf']).toBe('1');
    expect(received.headers['cookie']).toBe('a=1');
    expect(received.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('keeps each Set-Cookie line separate, as the API wrote it', async () => {
    const response = await apiFetch(`${echo.origin}/`, { method: 'POST', body: '{}' });
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; HttpOnly']);
    await response.arrayBuffer();
    // The refresh's own reading (no Response): the same lines, the same body bytes.
    const body = JSON.stringify({ note: 'é' });
    const answer = await apiRequest(`${echo.origin}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; HttpOnly']);
    expect(JSON.parse(answer.body.toString('utf8')).headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('reuses one kept-alive connection for sequential calls', async () => {
    const before = echo.received.length;
    for (let i = 0; i < 3; i++) await (await apiFetch(`${echo.origin}/`, { method: 'POST', body: '{}' })).arrayBuffer();
    const ports = new Set(echo.received.slice(before).map((r) => r.remotePort));
    expect(ports.size).toBe(1);
  });

  it("drops an idle connection before the API's keep-alive timeout ends it", async () => {
    const server = createServer((req, res) => req.resume().on('end', () => res.end(String(req.socket.remotePort))));
    server.keepAliveTimeout = 2_000; // announced as Keep-Alive: timeout=2 → the agent keeps it ~1 s
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const first = await (await apiFetch(url, { method: 'POST', body: '{}' })).text();
      const reused = await (await apiFetch(url, { method: 'POST', body: '{}' })).text();
      await new Promise((r) => setTimeout(r, 1_300));
      const afterIdle = await (await apiFetch(url, { method: 'POST', body: '{}' })).text();
      expect(reused).toBe(first);
      expect(afterIdle).not.toBe(first);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('an aborted signal (the page deadline) rejects the call', async () => {
    await expect(apiFetch(`${silentOrigin}/`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(50) })).rejects.toThrow();
  });
});
