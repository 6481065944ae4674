// Starts the API for one e2e run on a database nobody else uses, and removes that database when
// Playwright stops the run (SIGTERM, see playwright.config.ts):
//   - DATABASE_URL unset → embedded PGlite in a new temporary DATA_DIR;
//   - DATABASE_URL set   → a new database `e2e_<time>_<random>` created on that server, dropped after.
// Production mode (NODE_ENV=production), so it needs signing keys: a fresh Ed25519 key per run.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), 'jwt-e2e-'));

function signingKeys() {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return JSON.stringify({ keys: [{ ...jwk, kid: `e2e-${Date.now()}`, alg: 'EdDSA', use: 'sig' }] });
}

async function createDatabase(serverUrl) {
  const name = `e2e_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function dropDatabase(serverUrl, name) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

const serverUrl = process.env.DATABASE_URL || undefined;
const database = serverUrl ? await createDatabase(serverUrl) : undefined;
console.log(database ? `e2e database: ${database.name} (on DATABASE_URL's server)` : `e2e database: embedded, in ${dataDir}`);

// What `pnpm --filter @app/api start` runs, minus pnpm in between: pnpm would report the clean
// SIGTERM shutdown at the end of the run as a failed script.
const api = spawn(process.execPath, ['dist/main.js'], {
  cwd: path.join(repoRoot, 'apps/api'),
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DATABASE_URL: database?.url ?? '',
    JWT_PRIVATE_KEYS: signingKeys(),
  },
});

let stopping = false;
async function cleanUp(code) {
  if (database) await dropDatabase(serverUrl, database.name).catch((e) => console.error('drop failed:', e.message));
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}

api.on('exit', (code) => void cleanUp(stopping ? 0 : (code ?? 1)));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stopping = true;
    // The API is in our process group and got the same signal; we wait for it to exit (above).
    if (api.exitCode === null) api.kill(signal);
  });
}
