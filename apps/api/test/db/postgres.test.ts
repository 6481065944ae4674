// openDatabase on a real PostgreSQL server: a fresh database is migrated at open. Runs only
// when TEST_DATABASE_ADMIN_URL names a server (scripts/test-integration.mjs sets it from
// DATABASE_URL for its second run).
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { readMigrations } from '../../src/db/migrations.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const hasServer = !!process.env.TEST_DATABASE_ADMIN_URL;

describe.skipIf(!hasServer)('openDatabase on PostgreSQL (runs only when TEST_DATABASE_ADMIN_URL is set)', () => {
  let testDb: TestDatabase | undefined;
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    await testDb?.drop();
    db = testDb = undefined;
  });

  it('migrates a fresh database at open, once', async () => {
    testDb = await createTestDatabase();
    expect(testDb.kind).toBe('postgres');
    const names = (await readMigrations()).migrationDirectories.map((d) => d.path);

    db = await openDatabase({ databaseUrl: testDb.databaseUrl, dataDir: testDb.dataDir });
    expect(db.embedded).toBe(false);
    const applied = await db.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`;
    expect(applied.map((r) => r.migration_name)).toEqual(names);
    const user = await db.prisma.user.create({ data: { email: 'pg@example.test', passwordHash: 'x' } });
    await db.close();

    // A second open (a restart) applies nothing twice and sees the data.
    db = await openDatabase({ databaseUrl: testDb.databaseUrl, dataDir: testDb.dataDir });
    const history = await db.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM _prisma_migrations`;
    expect(Number(history[0]?.n)).toBe(names.length);
    expect(await db.prisma.user.findUnique({ where: { id: user.id } })).toMatchObject({ email: 'pg@example.test' });
  });

  it('drop() removes the database', async () => {
    const temp = await createTestDatabase();
    await temp.drop();
    await expect(openDatabase({ databaseUrl: temp.databaseUrl, dataDir: temp.dataDir })).rejects.toThrow();
  });
});
