// A raw `graphql-transport-ws` client for the subscription tests: real `ws` sockets against the
// real API, recording everything the server sends.
import { NOTE_ADDED } from '@app/shared';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { Device } from '../support/flows.js';

export const PROTOCOL = 'graphql-transport-ws';
export const WEB_ORIGIN = 'http://localhost:3000'; // the default WEB_ORIGINS entry

export type Message = { type: string; id?: string; payload?: unknown };
export type Closed = { code: number; reason: string; at: number };

/** A raw graphql-transport-ws client that records everything the server sends. */
export class Socket {
  readonly messages: Message[] = [];
  readonly closed: Promise<Closed>;
  readonly upgradeRefused: Promise<number>;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.messages.push(JSON.parse(String(data)) as Message);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason), at: Date.now() })));
    this.upgradeRefused = new Promise((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    ws.on('error', () => {}); // surfaced through `closed` / `upgradeRefused`
  }

  send(message: Message) {
    this.ws.send(JSON.stringify(message));
  }

  /** The next message matching `predicate` (already received or future), or the close. */
  async next(predicate: (m: Message) => boolean): Promise<Message | Closed> {
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const arrived = new Promise<void>((r) => this.waiters.push(r));
      const result = await Promise.race([arrived.then(() => null), this.closed]);
      if (result) return this.messages.find(predicate) ?? result;
    }
  }

  dataPayloads(id = '1') {
    return this.messages
      .filter((m) => m.type === 'next' && m.id === id)
      .map((m) => (m.payload as { data: { noteAdded: { id: string; text: string } } }).data.noteAdded);
  }

  close() {
    this.ws.close();
  }
}

export function open(url: string, headers: Record<string, string> = {}): Promise<Socket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, PROTOCOL, { headers });
  const socket = new Socket(ws);
  return new Promise((resolve) => {
    ws.once('open', () => resolve(socket));
    void socket.closed.then(() => resolve(socket));
  });
}

/** Opens, sends `connection_init` with the given authorization, and waits for ack or close. */
export async function connect(url: string, options: { authorization?: string; cookie?: string; origin?: string } = {}) {
  const headers: Record<string, string> = { origin: options.origin ?? WEB_ORIGIN };
  if (options.cookie) headers.cookie = options.cookie;
  const socket = await open(url, headers);
  socket.send({ type: 'connection_init', payload: options.authorization ? { authorization: options.authorization } : {} });
  const first = await socket.next((m) => m.type === 'connection_ack');
  return { socket, acked: 'type' in first };
}

/** A device's authenticated socket, subscribed to `noteAdded` (subscription id "1"). */
export async function subscribe(url: string, device: Device) {
  const { socket, acked } = await connect(url, { authorization: `Bearer ${device.token}`, cookie: device.jar.header() });
  expect(acked).toBe(true);
  socket.send({ id: '1', type: 'subscribe', payload: { query: NOTE_ADDED } });
  return socket;
}
