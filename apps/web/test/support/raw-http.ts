// Speak HTTP/1.1 over a plain TCP socket, for requests fetch() will not send (a malformed Host,
// duplicate headers, an upgrade nobody answers). Resolves when the SERVER closes the connection.
import { connect } from 'node:net';

export type RawExchange = { response: string; status: number };

export function rawExchange(port: number, request: string): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0);
      resolve({ response, status });
    });
  });
}
