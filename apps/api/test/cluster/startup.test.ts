// Instances started at the same moment on an EMPTY database (a fresh deployment with replicas,
// CONTRACT "Several API instances"): they migrate one after the other under an advisory lock,
// so each migration is applied once and every instance comes up.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../../src/db/paths.js';
import { LOCKFILE_NAME, migrateDatabaseExclusively, readMigrations } from '../../src/db/migrations.js';
import { createTestDatabase } from '../support/test-database.js';
import { onPostgres, POSTGRES_ONLY, readyz, startCluster, type Cluster } from './support.js';

const INSTANCES = 3;

describe.runIf(onPostgres)('starting several instances at once', () => {
  let c: Cluster | undefined;
  afterAll(() => c?.close());

  it(`${INSTANCES} instances started at once on an empty database all come up; each migration is applied once`, async () => {
    c = await startCluster(
      {},
      Array.from({ length: INSTANCES }, () => ({})),
    );
    for (const url of c.urls) expect((await readyz(url)).status).toBe(200);
    const { rows } = await c.sql(
      'SELECT migration_name, count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL GROUP BY 1 ORDER BY 1',
    );
    const expected = (await readMigrations(migrationsDir)).migrationDirectories.map((d) => ({ migration_name: d.path, n: 1 }));
    expect(rows).toEqual(expected);
  });

  // Prisma's schema engine takes its own advisory lock but gives up after 10 s, so without ours a
  // slow migration (an index on a big table) makes every other starting instance fail.
  it(
    "a migration slower than the engine's 10 s lock timeout: two instances migrating at once both succeed",
    { timeout: 60_000 },
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'slow-migration-'));
      const database = await createTestDatabase();
      try {
        await cp(path.join(migrationsDir, LOCKFILE_NAME), path.join(dir, LOCKFILE_NAME));
        await mkdir(path.join(dir, '20260101000000_slow'));
        await writeFile(path.join(dir, '20260101000000_slow', 'migration.sql'), 'SELECT pg_sleep(11);\nCREATE TABLE slow_done (id int);\n');
        const results = await Promise.all([1, 2].map(() => migrateDatabaseExclusively(database.databaseUrl!, { migrationsDir: dir })));
        expect(results.sort((a, b) => b.length - a.length)).toEqual([['20260101000000_slow'], []]);
      } finally {
        await database.drop();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});

describe.skipIf(onPostgres)('starting several instances at once', () => {
  it.skip(`skipped: ${POSTGRES_ONLY}`, () => {});
});
