// A private, empty database per test (file): a fresh database on a real server when
// TEST_DATABASE_ADMIN_URL is set, otherwise a fresh directory for embedded PGlite.
// Nothing is migrated here: the app migrates whatever it opens, which is part of what's tested.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

export type TestDatabase = {
  /** Where the data lives, for messages: the database URL, or a file:// URL of the embedded data. */
  url: string;
  /** Set for a real server; pass it as DATABASE_URL. Unset means "use embedded in dataDir". */
  databaseUrl?: string;
  /** A fresh temporary DATA_DIR (the app keeps more than the embedded database there). */
  dataDir: string;
  kind: 'postgres' | 'embedded';
  /** Removes the database and dataDir. Close the app first. */
  drop(): Promise<void>;
};

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'api-test-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  if (!adminUrl) {
    return {
      url: pathToFileURL(path.join(dataDir, 'pglite')).href,
      dataDir,
      kind: 'embedded',
      drop: removeDataDir,
    };
  }

  const name = `test_${randomBytes(8).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;
  return {
    url: databaseUrl.href,
    databaseUrl: databaseUrl.href,
    dataDir,
    kind: 'postgres',
    drop: async () => {
      // FORCE: a test that failed half-way may have left connections open.
      await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      await removeDataDir();
    },
  };
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
