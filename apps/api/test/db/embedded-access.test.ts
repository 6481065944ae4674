// Who can reach the embedded database (issue 10, finding 8). pglite-socket has no authentication:
// whoever connects is `postgres`. So the only client must be the app itself: a Unix socket in a
// 0700 directory (no TCP port), one connection, and an idle timeout for a silent transaction.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { SOCKET_FILE, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.js';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** Inodes of the TCP sockets in LISTEN state that this process holds (Linux /proc). */
async function ownListeningTcpInodes(): Promise<Set<string>> {
  const listening = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A') listening.add(cols[9]!); // st 0A = LISTEN; column 9 = inode
    }
  }
  const own = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && listening.has(inode)) own.add(inode);
  }
  return own;
}

/** Connects a fresh pg client (another session than the app's) and reads the users table. */
async function readUsersAsIntruder(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.query('SELECT email, password_hash FROM users')).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Tries to connect to a Unix socket as another OS user; resolves to 'connected' or the error code. */
async function connectAs(uid: number, socketPath: string): Promise<string> {
  const script = `require('node:net').connect(${JSON.stringify(socketPath)})
    .on('connect', () => { console.log('connected'); process.exit(0); })
    .on('error', (e) => { console.log(e.code); process.exit(0); });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { uid, gid: uid, cwd: '/' });
  return stdout.trim();
}

describe('embedded database: only the app can reach it', () => {
  let dataDir: string;
  const open: { close(): Promise<void> }[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-access-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
    await rm(dataDir, { recursive: true, force: true });
  });
  const openApp = async (options: { embeddedIdleTimeoutMs?: number } = {}): Promise<Database> => {
    const db = await openDatabase({ dataDir, ...options });
    open.push(db);
    return db;
  };

  it('serves no TCP port: the URL names a Unix socket and this process listens on no new TCP socket', async () => {
    const before = await ownListeningTcpInodes();
    const db = await openApp();
    await db.prisma.user.count();
    const after = await ownListeningTcpInodes();
    expect([...after].filter((i) => !before.has(i))).toEqual([]);
    const host = new URL(db.url).searchParams.get('host');
    expect(host).toBe(path.join(dataDir, 'run'));
    expect((await stat(path.join(host!, SOCKET_FILE))).isSocket()).toBe(true);
  });

  it('DATA_DIR, the database directory and the socket directory are 0700, even when DATA_DIR existed as 0755', async () => {
    await chmod(dataDir, 0o755); // as a checkout made before this rule left `.data/`
    await openApp();
    for (const dir of [dataDir, path.join(dataDir, 'pglite'), path.join(dataDir, 'run')]) {
      expect(((await stat(dir)).mode & 0o777).toString(8), dir).toBe('700');
    }
  });

  it.skipIf(!isRoot)('another local user cannot connect to the socket, even under a permissive umask', async () => {
    await chmod(dataDir, 0o755);
    // umask 0 makes the socket file itself rw for everyone: only the 0700 directory stands.
    const umask = process.umask(0);
    let db: Database;
    try {
      db = await openApp();
    } finally {
      process.umask(umask);
    }
    const socketPath = path.join(new URL(db.url).searchParams.get('host')!, SOCKET_FILE);
    expect(await connectAs(NOBODY, socketPath)).toBe('EACCES');
    expect(await db.prisma.user.count()).toBe(0); // and the app still is served
  });

  it('a second client of the same user is refused while the app holds the connection', async () => {
    const db = await openApp();
    await db.prisma.user.create({ data: { email: 'victim@example.test', passwordHash: 'argon2id-hash' } });
    await expect(readUsersAsIntruder(db.url)).rejects.toThrow();
    // The refusal cost the app nothing.
    expect(await db.prisma.user.count()).toBe(1);
  });

  it('falls back to a private temporary socket directory when DATA_DIR is too deep for a socket path', async () => {
    dataDir = path.join(dataDir, 'a-rather-long-directory-name-'.repeat(4), 'data');
    const db = await openApp();
    const socketDir = new URL(db.url).searchParams.get('host')!;
    expect(path.dirname(socketDir)).toBe(os.tmpdir());
    expect(((await stat(socketDir)).mode & 0o777).toString(8)).toBe('700');
    expect(await db.prisma.user.count()).toBe(0);
    await db.close();
    await expect(stat(socketDir)).rejects.toThrow(/ENOENT/); // removed with the server
  });

  it('the app keeps working after the server closed its idle connection', async () => {
    const db = await openApp({ embeddedIdleTimeoutMs: 200 });
    expect(await db.prisma.user.count()).toBe(0);
    await new Promise((r) => setTimeout(r, 600)); // the server closes the pool's connection meanwhile
    await db.prisma.user.create({ data: { email: 'after-idle@example.test', passwordHash: 'x' } });
    expect(await db.prisma.user.count()).toBe(1);
  });
});

describe('embedded database: a silent transaction cannot hold it', () => {
  let server: EmbeddedPostgres | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a connection idle inside BEGIN is closed after the idle timeout and its transaction rolled back', async () => {
    server = await startEmbeddedPostgres(undefined, { idleTimeoutMs: 300 });
    const setup = new pg.Client({ connectionString: server.url });
    await setup.connect();
    await setup.query('CREATE TABLE t (id int)');
    await setup.end();
    await server.untilNoClients();

    const stalled = new pg.Client({ connectionString: server.url });
    const closed = new Promise<Error>((resolve) => stalled.on('error', resolve));
    await stalled.connect();
    await stalled.query('BEGIN');
    await stalled.query('INSERT INTO t VALUES (1)');
    // ...and then says nothing more. The server must end it (else this await never returns).
    expect((await closed).message).toMatch(/terminated/);
    await server.untilNoClients();

    const next = new pg.Client({ connectionString: server.url });
    await next.connect();
    try {
      expect((await next.query('SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 0 }]);
    } finally {
      await next.end();
    }
  });
});
