// Embedded PostgreSQL for development and tests: PGlite (Postgres compiled to WebAssembly)
// served over the Postgres wire protocol by pglite-socket, so Prisma uses the very same
// pg driver adapter as with a real server.
//
// PGlite is ONE backend session: every socket connection shares it, and the socket server
// interleaves protocol messages from different connections. Clients must therefore use a
// single connection at a time (pg pool max: 1).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { lockDataDir } from './data-dir-lock.js';

export type EmbeddedPostgres = {
  /** postgresql:// URL of the socket server (127.0.0.1, a free port). */
  url: string;
  /** Stops the server and closes PGlite, which checkpoints so a later start sees all data. */
  close(): Promise<void>;
};

/**
 * Starts PGlite persisted under `<dataDir>/pglite`, or in memory when `dataDir` is undefined
 * (for tests and throwaway shadow databases).
 */
export async function startEmbeddedPostgres(dataDir: string | undefined): Promise<EmbeddedPostgres> {
  let unlock = async () => {};
  let db: PGlite;
  if (dataDir === undefined) {
    db = new PGlite();
  } else {
    const pgDir = path.join(path.resolve(dataDir), 'pglite');
    await mkdir(pgDir, { recursive: true });
    // Two PGlite instances writing one directory corrupt it; refuse instead.
    unlock = await lockDataDir(pgDir);
    db = new PGlite(pgDir);
  }
  try {
    await db.waitReady;
    // Port 0: the OS picks a free port; the server reads it back on listen.
    // maxConnections 2, not 1: a pool that has just closed its connection can reconnect
    // before the server has noticed the close, which with 1 fails as "Too many connections".
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
    await server.start();
    const url = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    let closing: Promise<void> | undefined;
    return {
      url,
      close: () =>
        (closing ??= (async () => {
          try {
            await server.stop();
            await db.close();
          } finally {
            await unlock();
          }
        })()),
    };
  } catch (err) {
    await db.close().catch(() => {});
    await unlock();
    throw err;
  }
}
