// Instances started at the same moment on an EMPTY database (a fresh deployment with replicas,
// CONTRACT "Several API instances"): they migrate one after the other under an advisory lock,
// so each migration is applied once and every instance comes up.
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../../src/db/paths.js';
import { readMigrations } from '../../src/db/migrations.js';
import { onPostgres, POSTGRES_ONLY, readyz, startCluster, type Cluster } from './support.js';

const INSTANCES = 3;

describe.runIf(onPostgres)('starting several instances at once', () => {
  let c: Cluster | undefined;
  afterAll(() => c?.close());

  it(`${INSTANCES} instances started at once on an empty database all come up; each migration is applied once`, async () => {
    c = await startCluster({}, Array.from({ length: INSTANCES }, () => ({})));
    for (const url of c.urls) expect((await readyz(url)).status).toBe(200);
    const { rows } = await c.sql(
      'SELECT migration_name, count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL GROUP BY 1 ORDER BY 1',
    );
    const expected = (await readMigrations(migrationsDir)).migrationDirectories.map((d) => ({ migration_name: d.path, n: 1 }));
    expect(rows).toEqual(expected);
  });
});

describe.skipIf(onPostgres)('starting several instances at once', () => {
  it.skip(`skipped: ${POSTGRES_ONLY}`, () => {});
});
