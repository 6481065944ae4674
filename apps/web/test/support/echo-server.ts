// An upstream that answers every request with what it received: method, path, headers, and the
// client port of the connection (to see whether the proxy reuses connections). On `?hop=1` it also
// sends hop-by-hop response headers a proxy must not pass on.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Echo = { method: string; url: string; headers: IncomingHttpHeaders; remotePort: number };

export class EchoServer {
  readonly received: Echo[] = [];
  #server: Server | undefined;
  origin = '';
  host = '';

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const echo: Echo = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          remotePort: req.socket.remotePort ?? 0,
        };
        this.received.push(echo);
        const headers: Record<string, string | string[]> = {
          'content-type': 'application/json',
          'set-cookie': ['a=1; Path=/; HttpOnly', 'b=2; Path=/; HttpOnly'],
          'cache-control': 'public, max-age=3600',
        };
        if (req.url?.includes('hop=1')) {
          Object.assign(headers, {
            connection: 'keep-alive, x-upstream-hop',
            'x-upstream-hop': 'secret',
            'keep-alive': 'timeout=77, max=3',
            'proxy-authenticate': 'Basic realm="upstream"',
            'proxy-connection': 'keep-alive',
            trailer: 'x-checksum',
            upgrade: 'h2c',
          });
        }
        res.writeHead(200, headers);
        res.end(JSON.stringify(echo));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    this.host = `127.0.0.1:${port}`;
    this.#server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
