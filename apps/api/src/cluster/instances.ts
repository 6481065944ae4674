// What connects this API instance to the others sharing its PostgreSQL database
// (CONTRACT "Several API instances"; docs/decisions/0010, 0011):
//  - a small pg pool for NOTIFY and the shared rate-limit table (not Prisma's pool, so neither
//    waits behind the other);
//  - one dedicated LISTEN connection (src/cluster/pg-listener.ts) for revocations and notes.
// With the embedded database there is one process by construction: everything stays local.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { RevokedSessions } from '../auth/revoked-sessions.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { createAppEvents, type ClusterAppEvents } from '../subscriptions/events.js';
import { createNoteRelay, NOTE_CHANNEL } from './note-relay.js';
import { createPgListener } from './pg-listener.js';
import { createRevocationSync, REVOCATION_CHANNEL, type RevocationSync } from './revocation-sync.js';

export const LISTENER_APPLICATION_NAME = 'api-revocation-listener';

export type InstanceLink = {
  /** Set with PostgreSQL: the pool the shared rate limits use. */
  pool?: pg.Pool;
  revocations: RevocationSync;
  events: ClusterAppEvents;
  /** False while revocations from other instances could be missed (/readyz → 503). */
  isListening(): boolean;
  close(): Promise<void>;
};

export function singleProcess(deps: { revoked: RevokedSessions; logger: Logger }): InstanceLink {
  return {
    revocations: createRevocationSync(deps),
    events: createAppEvents(),
    isListening: () => true,
    close: async () => {},
  };
}

export async function joinInstances(deps: {
  databaseUrl: string;
  /** A direct (session-mode) connection for LISTEN when databaseUrl goes through a transaction pooler. */
  listenUrl?: string;
  sweepSeconds: number;
  prisma: PrismaClient;
  revoked: RevokedSessions;
  logger: Logger;
}): Promise<InstanceLink> {
  const { logger } = deps;
  const pool = new pg.Pool({
    connectionString: deps.databaseUrl,
    application_name: 'api-shared-state',
    max: 5,
    connectionTimeoutMillis: 2_000,
    query_timeout: 2_000,
    keepAlive: true,
  });
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle shared-state connection failed'));

  const revocations = createRevocationSync({ revoked: deps.revoked, notifier: pool, logger });
  const notes = createNoteRelay({ notifier: pool, prisma: deps.prisma, instanceId: randomUUID(), logger });
  const events = createAppEvents(notes.remote);
  const listener = createPgListener({
    connectionString: deps.listenUrl ?? deps.databaseUrl,
    applicationName: LISTENER_APPLICATION_NAME,
    channels: {
      [REVOCATION_CHANNEL]: (payload) => revocations.receive(payload),
      [NOTE_CHANNEL]: (payload) => {
        const ref = notes.parse(payload);
        if (ref) events.receive(ref).catch((err: Error) => logger.warn({ err: err.message }, 'could not deliver a noteAdded'));
      },
    },
    catchUp: revocations.catchUp,
    sweepMs: deps.sweepSeconds * 1000,
    logger,
  });
  const close = async () => {
    await listener.close();
    await pool.end();
  };
  try {
    await listener.start();
  } catch (err) {
    await close();
    throw err;
  }
  return { pool, revocations, events, isListening: () => listener.listening, close };
}
