// `pnpm db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database
// under DATA_DIR when DATABASE_URL is unset. (The API also does this at every start.)
import { loadConfig } from '../../config/env.js';
import { startEmbeddedPostgres } from '../embedded.js';
import { migrateDatabase, migrateDatabaseExclusively } from '../migrations.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const started = performance.now();
  let applied: string[];
  let target: string;
  if (config.databaseUrl) {
    target = redact(config.databaseUrl);
    applied = await migrateDatabaseExclusively(config.databaseUrl);
  } else {
    target = `embedded database in ${config.dataDir}`;
    const embedded = await startEmbeddedPostgres(config.dataDir);
    try {
      applied = await migrateDatabase(embedded.url);
    } finally {
      await embedded.close();
    }
  }
  const ms = Math.round(performance.now() - started);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) to ${target} in ${ms} ms:\n${applied.map((n) => `  ${n}`).join('\n')}`
      : `${target} is up to date (${ms} ms).`,
  );
}

/** Never print a password. */
function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

await main();
