// A fresh PostgreSQL database for one run, dropped afterwards. Never the embedded database:
// the figures are about the real thing.
import pg from 'pg';

export type BenchDatabase = { url: string; name: string; drop(): Promise<void> };

export async function createDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `bench_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** One connection to `url` for `fn`, closed afterwards. */
export async function withDb<T>(url: string, fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

/** The id of some account of the database (the bench's seeded sessions belong to it). */
export function firstUserId(url: string): Promise<string> {
  return withDb(url, async (db) => (await db.query<{ id: string }>('SELECT id FROM users LIMIT 1')).rows[0]!.id);
}
