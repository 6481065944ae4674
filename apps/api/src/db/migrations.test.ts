// The committed migrations must produce exactly the schema in schema.prisma, and applying them
// must be repeatable. Runs on in-memory PGlite: no server needed.
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { diffSchemaAgainstMigrations, migrateDatabase, readMigrations } from './migrations.js';
import { migrationsDir, schemaPath } from './paths.js';

// Loading the 5 MB schema engine and starting PGlite take a few seconds on a slow machine.
const SLOW = 30_000;

describe('prisma/migrations', () => {
  it(
    'matches prisma/schema.prisma (otherwise run `pnpm db:diff <name>` and commit the result)',
    async () => {
      const missingSql = await diffSchemaAgainstMigrations();
      expect(missingSql, 'SQL the migrations are missing').toBe('');
    },
    SLOW,
  );

  it(
    'drift detection sees a schema change (so the check above can fail)',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'schema-drift-'));
      try {
        const schema = await readFile(schemaPath, 'utf8');
        const edited = schema.replace(/^(model Note \{\n)/m, '$1  title String?\n');
        expect(edited).not.toBe(schema);
        const editedPath = path.join(dir, 'schema.prisma');
        await writeFile(editedPath, edited);
        const sql = await diffSchemaAgainstMigrations({ schemaPath: editedPath });
        expect(sql).toMatch(/ALTER TABLE "notes" ADD COLUMN[^;]*"title" TEXT/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  it('are read in Prisma folder format, in name order, with the lockfile', async () => {
    const list = await readMigrations();
    expect(list.lockfile.content).toMatch(/provider = "postgresql"/);
    const names = list.migrationDirectories.map((d) => d.path);
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual([...names].sort());
    for (const d of list.migrationDirectories) {
      expect(d.path).toMatch(/^\d{14}_\w+$/);
      expect(d.migrationFile.content.tag).toBe('ok');
    }
  });
});

describe('migrateDatabase', () => {
  let db: EmbeddedPostgres;
  beforeAll(async () => {
    // Two connections: this test's own clients connect right after the engine's has closed.
    db = await startEmbeddedPostgres(undefined, { maxConnections: 2 });
  }, SLOW);
  afterAll(() => db?.close());

  const query = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };

  it(
    'applies every migration once, records it in _prisma_migrations, and is a no-op the second time',
    async () => {
      const { migrationDirectories } = await readMigrations();
      const names = migrationDirectories.map((d) => d.path);

      expect(await migrateDatabase(db.url)).toEqual(names);
      expect(await migrateDatabase(db.url)).toEqual([]);

      const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(names);
      for (const row of rows) {
        expect(row.finished_at).not.toBeNull();
        expect(row.rolled_back_at).toBeNull();
        // Same checksum as `prisma migrate deploy` computes, so the two stay interchangeable.
        const sql = await readFile(path.join(migrationsDir, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      }

      const tables = await query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
      expect(tables.map((t) => t.tablename)).toEqual(
        ['_prisma_migrations', 'notes', 'rate_limits', 'refresh_tokens', 'sessions', 'users'].sort(),
      );
    },
    SLOW,
  );

  it(
    'applies only the migrations that are new',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
      try {
        await cp(migrationsDir, dir, { recursive: true });
        const added = '99991231000000_add_probe';
        await mkdir(path.join(dir, added));
        await writeFile(path.join(dir, added, 'migration.sql'), 'CREATE TABLE "probe" ("id" INTEGER);\n');
        expect(await migrateDatabase(db.url, { migrationsDir: dir })).toEqual([added]);
        expect(await migrateDatabase(db.url, { migrationsDir: dir })).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});
