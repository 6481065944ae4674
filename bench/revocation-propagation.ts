// How long does a revocation take to reach another API instance? (CONTRACT "Several API
// instances": within one second, aiming at 100 ms; docs/decisions/0010.)
//
// Starts TWO built API processes (node apps/api/dist/main.js) on a fresh PostgreSQL database,
// then, N times: sign in on A, sign out on A, and poll `me` on B with that access token, back to
// back, until B refuses it. The figure is the time from A's sign-out response to B's first 401
// (its resolution is one poll round trip, printed too). B never reads the database for this:
// the revocation reaches its in-memory deny-list through PostgreSQL NOTIFY.
//
//   pnpm --filter @app/api build && pnpm --filter @app/bench exec tsx revocation-propagation.ts
//   BENCH_DATABASE_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres), BENCH_SAMPLES (200)
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import pg from 'pg';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { CSRF_HEADER, ME, SIGN_IN, SIGN_OUT, SIGN_UP } from '@app/shared';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const apiMain = process.env.BENCH_API_MAIN ?? `${repoRoot}apps/api/dist/main.js`;
const adminUrl =
  process.env.BENCH_DATABASE_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? (process.env.BENCH_QUICK === '1' ? 20 : 200));
const GIVE_UP_MS = 5_000;
const PASSWORD = 'correct horse battery staple';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function privateJwks(): string {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return JSON.stringify({ keys: [{ ...jwk, kid: 'bench-1', alg: 'EdDSA', use: 'sig' }] });
}

async function startApi(env: Record<string, string>): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [apiMain], {
    env: { ...process.env, ...env, API_PORT: String(port), API_HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, process: child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('API did not become ready within 60 s');
}

type Session = { token: string; cookie: string };

async function gql(url: string, query: string, variables: object, session?: Session) {
  const headers: Record<string, string> = { 'content-type': 'application/json', [CSRF_HEADER]: '1' };
  if (session) {
    headers.authorization = `Bearer ${session.token}`;
    headers.cookie = session.cookie;
  }
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, { accessToken?: string }>; errors?: unknown[] };
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  return { status: response.status, body, cookie };
}

async function signIn(url: string, email: string): Promise<Session> {
  const r = await gql(url, SIGN_IN, { email, password: PASSWORD });
  if (r.body.errors) throw new Error(`sign-in failed: ${JSON.stringify(r.body.errors)}`);
  return { token: r.body.data!.signIn!.accessToken!, cookie: r.cookie };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

if (!existsSync(apiMain)) {
  console.error(`${apiMain} not found: run \`pnpm --filter @app/api build\` first.`);
  process.exit(1);
}

const dbName = `bench_${randomBytes(6).toString('hex')}`;
await admin(`CREATE DATABASE "${dbName}"`);
const databaseUrl = new URL(adminUrl);
databaseUrl.pathname = `/${dbName}`;
const env = {
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl.href,
  JWT_PRIVATE_KEYS: privateJwks(),
  LOG_LEVEL: 'warn',
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '100000',
  RATE_LIMIT_AUTH_PER_ADDRESS: '100000',
  // Far beyond any sample: what B learns, it learns by NOTIFY, not by the periodic catch-up.
  REVOCATION_SWEEP_SECONDS: '600',
};
const apis: ChildProcess[] = [];
try {
  // Started together, as replicas are (they migrate one after the other).
  const [a, b] = await Promise.all([startApi(env), startApi(env)]);
  apis.push(a.process, b.process);
  const email = `bench-${dbName}@example.test`;
  const signedUp = await gql(a.url, SIGN_UP, { email, password: PASSWORD });
  if (signedUp.body.errors) throw new Error(`sign-up failed: ${JSON.stringify(signedUp.body.errors)}`);

  const latencies: number[] = [];
  const pollRoundTrips: number[] = [];
  let missed = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const session = await signIn(a.url, email);
    if ((await gql(b.url, ME, {}, session)).status !== 200) throw new Error('a fresh session is refused on B');
    const out = await gql(a.url, SIGN_OUT, {}, session);
    if (out.status !== 200) throw new Error(`sign-out failed with ${out.status}`);
    const signedOutAt = performance.now();
    for (;;) {
      const sent = performance.now();
      const { status } = await gql(b.url, ME, {}, session);
      const now = performance.now();
      pollRoundTrips.push(now - sent);
      if (status === 401) {
        latencies.push(now - signedOutAt);
        break;
      }
      if (now - signedOutAt > GIVE_UP_MS) {
        missed++;
        break;
      }
    }
  }

  latencies.sort((x, y) => x - y);
  pollRoundTrips.sort((x, y) => x - y);
  const result = {
    name: 'revocation-propagation',
    question: 'time from sign-out on instance A to the first 401 on instance B (PostgreSQL NOTIFY)',
    date: new Date().toISOString(),
    samples: latencies.length,
    missed,
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    maxMs: Number(latencies[latencies.length - 1]!.toFixed(2)),
    pollRoundTripP50Ms: Number(percentile(pollRoundTrips, 50).toFixed(2)),
  };
  console.error(`\n${result.name}: ${result.question}`);
  console.error(`  ${result.samples} samples (${missed} not refused within ${GIVE_UP_MS} ms)`);
  console.error(`  p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms   max ${result.maxMs} ms`);
  console.error(`  resolution: one poll round trip, p50 ${result.pollRoundTripP50Ms} ms`);
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(new URL('./results/revocation-propagation.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  // Last stdout line: what `pnpm bench` (run.ts) reads.
  console.log(JSON.stringify({ p50Ms: result.p50Ms, p99Ms: result.p99Ms }));
  if (missed > 0) process.exitCode = 1;
} finally {
  for (const p of apis) p.kill('SIGTERM');
  await Promise.all(apis.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
}
