// A "shadow database" for diffs: the engine replays the committed migrations on it and
// compares the result with schema.prisma. An in-memory PGlite is private, needs no server or
// CREATE DATABASE rights, and is gone when closed.
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { schemaEngineAdapter } from './engine-pool.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';

export function inMemoryShadowFactory(): { factory: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> } {
  // The engine opens a "main" connection up front but a diff between migrations and a
  // schema only ever uses the shadow, so both share one instance (a PGlite start costs ~1 s),
  // which therefore admits two connections.
  let server: Promise<EmbeddedPostgres> | undefined;
  const connect = async (): Promise<SqlDriverAdapter> => {
    server ??= startEmbeddedPostgres(undefined, { maxConnections: 2 });
    return schemaEngineAdapter((await server).url).connect();
  };
  return {
    factory: { provider: 'postgres', adapterName: '@prisma/adapter-pg', connect, connectToShadowDb: connect },
    close: async () => {
      await (await server?.catch(() => undefined))?.close();
    },
  };
}
