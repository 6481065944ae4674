// The application's database: real PostgreSQL when DATABASE_URL is set, otherwise embedded
// PGlite under DATA_DIR. Either way pending migrations are applied before Prisma opens, so the
// API never runs against an older schema than its code.
import { PrismaPg } from '@prisma/adapter-pg';
import pg, { type PoolConfig } from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { startEmbeddedPostgres } from './embedded.js';
import { sqlClient, type SqlClient } from './sql.js';
import { statementNames } from './statement-names.js';
import { migrateDatabase, migrateDatabaseExclusively } from './migrations.js';

export type Database = {
  prisma: PrismaClient;
  /** Plain SQL on Prisma's own pool, for the hot path (sql.ts). */
  sql: SqlClient;
  /** The postgresql:// URL Prisma connects to (for embedded: the local socket server). */
  url: string;
  embedded: boolean;
  /** Disconnects Prisma, then stops the embedded server (flushing it to disk). */
  close(): Promise<void>;
};

// Fail fast: when the server is down, connecting errors after 2 s instead of hanging, so
// /readyz turns 503 quickly; the pool reconnects by itself once the server is back.
// (In pg this also bounds the wait for a free pooled connection.)
const REAL_POOL: PoolConfig = { max: 10, connectionTimeoutMillis: 2000, keepAlive: true };
// Embedded: ONE connection (PGlite is a single session, and the server admits one client; see
// embedded.ts). Everything queues on it, so waiting for it may take longer than any network
// connect would. The pool never closes it for idleness (idleTimeoutMillis 0): the server does,
// after its idle timeout, and frees its only slot before the close reaches us, so our reconnect
// cannot find the slot still taken. (PrismaPg listens for the pool's 'error' that close raises.)
const EMBEDDED_POOL: PoolConfig = { max: 1, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 0 };

export async function openDatabase(config: {
  databaseUrl?: string;
  dataDir: string;
  /** For tests: the embedded server's idle timeout (see embedded.ts). */
  embeddedIdleTimeoutMs?: number;
}): Promise<Database> {
  if (config.databaseUrl) {
    // Several instances may start at once on one database: one migrates, the others wait.
    await migrateDatabaseExclusively(config.databaseUrl);
    // One pool for Prisma and for plain SQL. Prepared statements: each query shape parsed and
    // planned once per connection (statement-names.ts).
    const pool = new pg.Pool({ ...REAL_POOL, connectionString: config.databaseUrl });
    const prisma = new PrismaClient({
      adapter: new PrismaPg(pool, { statementNameGenerator: statementNames(), disposeExternalPool: true }),
    });
    return {
      prisma,
      sql: sqlClient(pool, { prepare: true }),
      url: config.databaseUrl,
      embedded: false,
      close: () => prisma.$disconnect(),
    };
  }

  const server = await startEmbeddedPostgres(config.dataDir, { idleTimeoutMs: config.embeddedIdleTimeoutMs });
  try {
    // Sequential on purpose: the migration connection is closed (and the server has seen it
    // close) before Prisma opens its own.
    await migrateDatabase(server.url);
    await server.untilNoClients();
    // No named statements here: PGlite is ONE session for every connection the socket server
    // accepts, so statements prepared by a closed connection would still exist when the next
    // connection, knowing none, prepares them again ("prepared statement already exists").
    const pool = new pg.Pool({ ...EMBEDDED_POOL, connectionString: server.url });
    const prisma = new PrismaClient({
      adapter: new PrismaPg(pool, { disposeExternalPool: true }),
      // Interactive transactions wait for the single connection like everything else.
      transactionOptions: { maxWait: EMBEDDED_POOL.connectionTimeoutMillis },
    });
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        try {
          await prisma.$disconnect();
        } finally {
          await server.close();
        }
      })());
    return { prisma, sql: sqlClient(pool, { prepare: false }), url: server.url, embedded: true, close };
  } catch (err) {
    await server.close();
    throw err;
  }
}

/**
 * `SELECT 1` within `timeoutMs`, for /readyz. Never throws: any failure or a slow answer is
 * "not reachable".
 */
export async function isDatabaseReachable(prisma: PrismaClient, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([prisma.$queryRaw`SELECT 1`.then(() => true), timedOut]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
