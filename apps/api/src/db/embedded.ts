// Embedded PostgreSQL for development and tests: PGlite (Postgres compiled to WebAssembly)
// served over the Postgres wire protocol by pglite-socket, so Prisma uses the very same
// pg driver adapter as with a real server.
//
// PGlite is ONE backend session: every socket connection shares it, and the socket server
// interleaves protocol messages from different connections. Clients must therefore use a
// single connection at a time (pg pool max: 1).
//
// WHY a Unix socket in a 0700 directory, one connection, an idle timeout: the wire protocol
// server has no authentication at all, so whoever can connect IS `postgres` and can read every
// password hash or insert a session and sign in as anyone. A loopback TCP port is open to every
// local user and container sharing the network namespace; a Unix socket is guarded by file
// permissions, and its 0700 directory admits only this OS user (connect(2) needs search
// permission on the directory). One connection: the app's own pool holds it, so not even another
// process of the same user gets a session beside it. The idle timeout closes a connection that
// has sent nothing for a while and rolls back its open transaction: PGlite serves one
// transaction at a time, so a silent `BEGIN` would otherwise stall every other query forever.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { lockDataDir } from './data-dir-lock.js';
import { ensurePrivateDir, privateTempDir } from './private-dir.js';

/** pg connects to `<host>/.s.PGSQL.<port>` when `host` is a directory; 5432 is pg's default port. */
export const SOCKET_FILE = '.s.PGSQL.5432';
/** sun_path is 108 bytes on Linux and 104 on macOS, NUL included; stay below both. */
const MAX_SOCKET_PATH_BYTES = 103;
/**
 * Counted from the last message the client SENT, so it must also outlast the slowest statement the
 * server runs (a migration on a loaded machine), not only Prisma's 5 s interactive transactions.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

export type EmbeddedPostgres = {
  /** postgresql:// URL of the socket server: `host` is the socket's directory. */
  url: string;
  /** The 0700 directory holding the Unix socket `SOCKET_FILE`. */
  socketDir: string;
  /**
   * Resolves once no client is connected. With one connection allowed, a client that opens
   * right after another closed could otherwise arrive before the server has seen the close.
   */
  untilNoClients(): Promise<void>;
  /** Stops the server and closes PGlite, which checkpoints so a later start sees all data. */
  close(): Promise<void>;
};

export type EmbeddedOptions = {
  /** Concurrent connections served (default 1; the schema engine's diff needs 2). */
  maxConnections?: number;
  /** A connection that sends nothing for this long is closed, its transaction rolled back. */
  idleTimeoutMs?: number;
};

/**
 * Starts PGlite persisted under `<dataDir>/pglite`, or in memory when `dataDir` is undefined
 * (for tests and throwaway shadow databases), served on a Unix socket in `<dataDir>/run` (a
 * fresh private directory under the OS temp dir when in memory or when that path is too long).
 */
export async function startEmbeddedPostgres(dataDir: string | undefined, options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
  };
  let db: PGlite | undefined;
  try {
    let socketDir: string | undefined;
    if (dataDir === undefined) {
      db = new PGlite();
    } else {
      const root = path.resolve(dataDir);
      await ensurePrivateDir(root);
      const pgDir = path.join(root, 'pglite');
      await ensurePrivateDir(pgDir);
      // Two PGlite instances writing one directory corrupt it; refuse instead.
      cleanups.push(await lockDataDir(pgDir));
      db = new PGlite(pgDir);
      const runDir = path.join(root, 'run');
      if (Buffer.byteLength(path.join(runDir, SOCKET_FILE)) <= MAX_SOCKET_PATH_BYTES) {
        await ensurePrivateDir(runDir);
        // Left by a run that crashed; ours to remove, since we hold the data-dir lock.
        await rm(path.join(runDir, SOCKET_FILE), { force: true });
        socketDir = runDir;
      }
    }
    if (socketDir === undefined) {
      const temp = await privateTempDir('pglite-');
      cleanups.push(temp.remove);
      socketDir = temp.dir;
    }
    const socketPath = path.join(socketDir, SOCKET_FILE);
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
      throw new Error(`Unix socket path too long (${socketPath}); set TMPDIR to a shorter directory`);
    }

    await db.waitReady;
    const server = new PGLiteSocketServer({
      db,
      path: socketPath,
      maxConnections: options.maxConnections ?? 1,
      idleTimeout: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    });
    await server.start();
    const openDb = db;
    const url = `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}&sslmode=disable`;
    let closing: Promise<void> | undefined;
    return {
      url,
      socketDir,
      untilNoClients: async () => {
        const deadline = Date.now() + 5000;
        while (server.getStats().activeConnections > 0) {
          if (Date.now() > deadline) throw new Error('The embedded database still has a client connected');
          await new Promise((r) => setTimeout(r, 5));
        }
      },
      close: () =>
        (closing ??= (async () => {
          try {
            await server.stop(); // also unlinks the socket file
            await openDb.close();
          } finally {
            await cleanUp();
          }
        })()),
    };
  } catch (err) {
    await db?.close().catch(() => {});
    await cleanUp();
    throw err;
  }
}
