// Embedded PGlite as the app opens it: data written through Prisma must survive a close and a
// reopen, in this process and in a brand-new one.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';

const apiDir = fileURLToPath(new URL('../..', import.meta.url));
const readUserScript = fileURLToPath(new URL('./fixtures/read-user.ts', import.meta.url));

describe('embedded database', () => {
  let dataDir: string;
  const open: Database[] = [];
  const openEmbedded = async () => {
    const db = await openDatabase({ dataDir });
    open.push(db);
    return db;
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-test-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps data written through Prisma across close and reopen in the same process', async () => {
    const first = await openEmbedded();
    expect(first.embedded).toBe(true);
    const user = await first.prisma.user.create({
      data: { email: 'persist@example.test', passwordHash: 'x', notes: { create: { text: 'hello' } } },
    });
    await first.close();

    const second = await openEmbedded();
    const found = await second.prisma.user.findUnique({ where: { id: user.id }, include: { notes: true } });
    expect(found?.email).toBe('persist@example.test');
    expect(found?.notes.map((n) => n.text)).toEqual(['hello']);
    // Reopening migrated nothing new and did not duplicate the migration history.
    const history = await second.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM _prisma_migrations`;
    expect(Number(history[0]?.n)).toBeGreaterThan(0);
  });

  it('keeps data for a new process', async () => {
    const db = await openEmbedded();
    await db.prisma.user.create({ data: { email: 'other-process@example.test', passwordHash: 'x' } });
    await db.close();

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', readUserScript, dataDir, 'other-process@example.test'],
      { cwd: apiDir },
    );
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toMatchObject({ email: 'other-process@example.test' });
  });

  it('refuses a second open of the same directory while the first is open', async () => {
    await openEmbedded();
    await expect(openDatabase({ dataDir })).rejects.toThrow(/already open/);
  });

  it('creates the data directory when missing', async () => {
    dataDir = path.join(dataDir, 'does', 'not', 'exist');
    const db = await openEmbedded();
    expect(await db.prisma.user.count()).toBe(0);
  });

  it('has an in-memory variant that keeps nothing', async () => {
    const tableCount = async (url: string, setup?: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        if (setup) await client.query(setup);
        const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'");
        return Number(rows[0]?.n);
      } finally {
        await client.end();
      }
    };
    const first = await startEmbeddedPostgres(undefined);
    expect(new URL(first.url).searchParams.get('host')).toBe(first.socketDir);
    expect(await tableCount(first.url, 'CREATE TABLE scratch (id int)')).toBe(1);
    await first.close();
    const second = await startEmbeddedPostgres(undefined);
    try {
      expect(await tableCount(second.url)).toBe(0);
    } finally {
      await second.close();
    }
  });
});

describe('embedded database lock', () => {
  it('takes over a lock left by a process that is gone, even one that had our pid', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-lock-'));
    try {
      await mkdir(path.join(dataDir, 'pglite'));
      // As a crashed run in a container (same PID 1 on the next start) would leave it.
      await writeFile(path.join(dataDir, 'pglite.lock'), String(process.pid));
      const db = await openDatabase({ dataDir });
      await db.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
