// Runs the integration tests once on embedded PGlite and, when DATABASE_URL is set, once more
// on that PostgreSQL server (each test file creates and drops its own database there, so
// DATABASE_URL only has to point at a server the user may CREATE DATABASE on).
// Fails if either run fails. Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const apiDir = fileURLToPath(new URL('..', import.meta.url));
const extraArgs = process.argv.slice(2);
const { DATABASE_URL, TEST_DATABASE_ADMIN_URL: _ignored, ...baseEnv } = process.env;

const runs = [{ label: 'embedded PGlite', env: baseEnv }];
if (DATABASE_URL) {
  runs.push({
    label: `PostgreSQL (${redact(DATABASE_URL)})`,
    env: { ...baseEnv, TEST_DATABASE_ADMIN_URL: DATABASE_URL },
  });
} else {
  console.log('DATABASE_URL is not set: running the integration tests on embedded PGlite only.');
}

const results = [];
for (const run of runs) {
  console.log(`\n=== Integration tests on ${run.label} ===\n`);
  const { status } = spawnSync('pnpm', ['exec', 'vitest', 'run', '--project', 'integration', ...extraArgs], {
    cwd: apiDir,
    env: run.env,
    stdio: 'inherit',
  });
  results.push({ label: run.label, ok: status === 0 });
}

console.log('\n=== Integration test summary ===');
for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.label}`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
