// One dedicated PostgreSQL connection that LISTENs for the other API instances' NOTIFYs
// (https://www.postgresql.org/docs/current/sql-notify.html). It is NOT a pooled connection:
// LISTEN belongs to a session, and a pool (or a transaction-mode pooler such as PgBouncer)
// would hand that session to someone else and the notifications would silently stop.
//
// NOTIFY is fire-and-forget: a notification sent while we are not connected is lost. So after
// every (re)connect, and then every `sweepMs` as a heartbeat, `catchUp(client, since)` runs on
// this very connection — AFTER `LISTEN`, so anything committed later is notified to us, and
// anything committed earlier is in the query's snapshot. `since` is the last moment this
// listener was known to be listening (the start of the last successful catch-up) minus a
// margin for clock skew between instances. Until the first catch-up on a new connection has
// succeeded, `listening` is false and /readyz answers 503 (docs/decisions/0010).
import pg from 'pg';
import type { Logger } from 'pino';

export type PgListenerOptions = {
  connectionString: string;
  /** Shows in pg_stat_activity, so operators (and tests) can find this connection. */
  applicationName: string;
  /** Channel name → handler of one payload. Handlers must not throw. */
  channels: Record<string, (payload: string) => void>;
  /** Reads what was missed since `since`, on the listening connection. */
  catchUp: (client: pg.Client, since: Date | null) => Promise<void>;
  logger: Logger;
  /** Heartbeat + catch-up interval. */
  sweepMs?: number;
  /** Subtracted from the last confirmed moment: covers clock skew between instances. */
  marginMs?: number;
  backoff?: { initialMs: number; maxMs: number };
};

export type PgListener = {
  /** Connects, LISTENs and catches up once; rejects if that first attempt fails. */
  start(): Promise<void>;
  /** True while the connection is up and caught up. */
  readonly listening: boolean;
  close(): Promise<void>;
};

const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

export function createPgListener(options: PgListenerOptions): PgListener {
  const { logger } = options;
  const sweepMs = options.sweepMs ?? 5_000;
  const marginMs = options.marginMs ?? 60_000;
  const backoff = options.backoff ?? { initialMs: 100, maxMs: 5_000 };
  for (const channel of Object.keys(options.channels)) {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`invalid channel name ${channel}`);
  }

  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  /** Start of the last successful catch-up: everything committed before it has been seen. */
  let confirmedAt: Date | null = null;
  let retryDelay = backoff.initialMs;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;

  const since = () => (confirmedAt ? new Date(confirmedAt.getTime() - marginMs) : null);

  async function catchUp(c: pg.Client): Promise<void> {
    const startedAt = new Date();
    await options.catchUp(c, since());
    confirmedAt = startedAt;
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({
      connectionString: options.connectionString,
      application_name: options.applicationName,
      connectionTimeoutMillis: 2_000,
      keepAlive: true,
      // A hung server must not stall the heartbeat forever.
      query_timeout: 5_000,
    });
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('connection ended')));
    c.on('notification', (msg) => {
      const handler = options.channels[msg.channel];
      if (handler && msg.payload !== undefined) handler(msg.payload);
    });
    client = c;
    try {
      await c.connect();
      for (const channel of Object.keys(options.channels)) await c.query(`LISTEN ${channel}`);
      await catchUp(c);
    } catch (err) {
      lost(c, err as Error);
      throw err;
    }
    if (client !== c) return; // lost meanwhile
    listening = true;
    retryDelay = backoff.initialMs;
    scheduleSweep(c);
  }

  function scheduleSweep(c: pg.Client): void {
    sweepTimer = setTimeout(() => {
      catchUp(c).then(
        () => {
          if (client === c && !closed) scheduleSweep(c);
        },
        (err: Error) => lost(c, err),
      );
    }, sweepMs);
    sweepTimer.unref();
  }

  /** The connection is gone (or useless): stop trusting it and reconnect with backoff. */
  function lost(c: pg.Client, err: Error): void {
    if (client !== c) return;
    client = null;
    listening = false;
    clearTimeout(sweepTimer);
    c.removeAllListeners('notification');
    c.on('error', () => {}); // late errors of a dead client
    void c.end().catch(() => {});
    if (closed) return;
    logger.warn({ err: err.message, retryInMs: retryDelay }, 'revocation listener lost its connection');
    reconnectTimer = setTimeout(() => {
      connect().then(
        () => logger.info('revocation listener listening again'),
        () => {}, // logged by lost()
      );
    }, retryDelay);
    reconnectTimer.unref();
    retryDelay = Math.min(retryDelay * 2, backoff.maxMs);
  }

  return {
    start: connect,
    get listening() {
      return listening && !closed;
    },
    async close() {
      closed = true;
      listening = false;
      clearTimeout(reconnectTimer);
      clearTimeout(sweepTimer);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => {});
    },
  };
}
