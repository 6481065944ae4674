// Several real API instances (real HTTP servers, in this process) on ONE fresh PostgreSQL
// database, as a deployment with replicas runs them; plus a graphql-ws client and a TCP gate for
// cutting one instance's LISTEN connection off the database.
import net from 'node:net';
import { NOTE_ADDED } from '@app/shared';
import pg from 'pg';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { generatePrivateJwks } from '../../src/auth/keys.js';
import { LISTENER_APPLICATION_NAME } from '../../src/cluster/instances.js';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/logger.js';
import { startApi, type RunningApi } from '../../src/server.js';
import type { Device } from '../support/flows.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

export const POSTGRES_ONLY =
  'needs a real PostgreSQL server (set TEST_DATABASE_ADMIN_URL): the embedded database serves one process, so there is no second instance to reach';
export const onPostgres = !!process.env.TEST_DATABASE_ADMIN_URL;

export type Cluster = {
  database: TestDatabase;
  env: Record<string, string>;
  apis: RunningApi[];
  urls: string[];
  /** A direct connection to the shared database, for looking and for killing backends. */
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  close(): Promise<void>;
};

type PerInstance = Record<string, string>[];

/**
 * Starts one instance per entry of `perInstance` (extra environment; a function gets the
 * database URL) at the same moment on one fresh database.
 */
export async function startCluster(
  env: Record<string, string> = {},
  instances: PerInstance | ((databaseUrl: string) => PerInstance) = [{}, {}],
): Promise<Cluster> {
  const database = await createTestDatabase();
  if (!database.databaseUrl) throw new Error(POSTGRES_ONLY);
  const perInstance = typeof instances === 'function' ? instances(database.databaseUrl) : instances;
  const base: Record<string, string> = {
    NODE_ENV: 'test',
    API_PORT: '0',
    API_HOST: '127.0.0.1',
    DATA_DIR: database.dataDir,
    JWT_PRIVATE_KEYS: await generatePrivateJwks('cluster-key-1'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: database.databaseUrl,
    ...env,
  };
  const logger = createLogger(base.LOG_LEVEL!);
  const started = await Promise.allSettled(perInstance.map((extra) => startApi(loadConfig({ ...base, ...extra }), logger)));
  const apis = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const admin = new pg.Client({ connectionString: database.databaseUrl });
  const close = async () => {
    await Promise.all(apis.map((a) => a.close()));
    await admin.end().catch(() => {});
    await database.drop();
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await close();
    throw (failed as PromiseRejectedResult).reason;
  }
  await admin.connect();
  return { database, env: base, apis, urls: apis.map((a) => a.url), sql: (text, values) => admin.query(text, values), close };
}

/** Kills every LISTEN connection of the instances in this database (what a failover or an admin does). */
export async function terminateListeners(cluster: Cluster): Promise<number> {
  const { rows } = await cluster.sql(
    `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
    [LISTENER_APPLICATION_NAME],
  );
  return rows.length;
}

/**
 * A TCP pass-through to the database whose gate can be shut: a shut gate keeps the
 * connections it already carries but refuses new ones, like a database that is unreachable
 * for a while. Lets a test keep one instance's listener from reconnecting.
 */
export async function startGate(target: { host: string; port: number }) {
  let open = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    /** `databaseUrl` with its host and port replaced by the gate's. */
    urlFor(databaseUrl: string) {
      const u = new URL(databaseUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.href;
    },
    shut: () => void (open = false),
    open: () => void (open = true),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const target = (databaseUrl: string) => {
  const u = new URL(databaseUrl);
  return { host: u.hostname, port: Number(u.port || 5432) };
};

export async function readyz(url: string): Promise<{ status: number; body: { status: string } }> {
  const r = await fetch(`${url}/readyz`);
  return { status: r.status, body: (await r.json()) as { status: string } };
}

/** Polls `check` every 10 ms until it returns true; returns how long that took, or null at the deadline. */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number | null> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) return null;
    await new Promise((r) => setTimeout(r, 10));
  }
}

// --- graphql-ws -----------------------------------------------------------------------------

type Message = { type: string; id?: string; payload?: unknown };
const WEB_ORIGIN = 'http://localhost:3000'; // a default WEB_ORIGINS entry

/** A raw `graphql-transport-ws` client, subscribed to `noteAdded` as `device`. */
export async function subscribeNotes(url: string, device: Device) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
    headers: { origin: WEB_ORIGIN, cookie: device.jar.header() },
  });
  const messages: Message[] = [];
  const closed = new Promise<{ code: number; at: number }>((resolve) => ws.on('close', (code) => resolve({ code, at: Date.now() })));
  ws.on('error', () => {});
  const acked = new Promise<boolean>((resolve) => {
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(String(data)) as Message;
      messages.push(m);
      if (m.type === 'connection_ack') resolve(true);
    });
    void closed.then(() => resolve(false));
  });
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    void closed.then(() => resolve());
  });
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${device.token}` } }));
  expect(await acked).toBe(true);
  ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: NOTE_ADDED } }));
  return {
    closed,
    notes: () =>
      messages
        .filter((m) => m.type === 'next' && m.id === '1')
        .map((m) => (m.payload as { data: { noteAdded: { id: string; text: string } } }).data.noteAdded),
    close: () => ws.close(),
  };
}
