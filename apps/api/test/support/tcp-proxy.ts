// A TCP proxy the tests can unplug: stop() drops every connection and refuses new ones, as a
// stopped database server would; start() serves again on the same port. `blackhole` accepts
// connections and never answers, like a hung server.
import net from 'node:net';

export type TcpProxy = { port: number; start(): Promise<void>; stop(): Promise<void> };

export async function startTcpProxy(target: { host: string; port: number } | 'blackhole'): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const listen = async () => {
    server = net.createServer((client) => {
      track(client);
      if (target === 'blackhole') return;
      const upstream = net.connect(target.port, target.host);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', resolve);
    });
    port = (server.address() as net.AddressInfo).port;
  };

  await listen();
  return {
    get port() {
      return port;
    },
    start: listen,
    stop: async () => {
      const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      server = undefined;
    },
  };
}
