// `B_DIST=<dir> tsx ab-api.ts`: an A/B of two builds of the API on one database, the way the
// request-path changes of issue 12 were judged. A = apps/api/dist, B = the build in B_DIST: a copy
// made inside apps/api, so that it resolves the same node_modules (`cp -r apps/api/dist
// apps/api/dist-b` before a change, then `pnpm build` again; `dist-b/` is ignored by git).
// Both serve authenticated `{ __typename }` (ANON=1: anonymous) from one signed-in user, alternating
// A B / B A for ROUNDS rounds of SECONDS each; per round, req/s and the server's CPU per request
// (lib/cpu.ts). Prints the median of B ÷ A req/s, of A ÷ B CPU per request, and in how many rounds B
// was faster. LOAD=rotation: refresh rotations instead (settings.rotationSessions sessions at once,
// as the rotation figure drives them; SESSIONS=1: one at a time, where req/s is the inverse of a
// rotation's latency), CPU per rotation. B_ENV='{"NAME":"value"}' adds environment
// variables to B only. A_DIST and A_ENV choose A's build and environment the same way. With ANON=1
// no one signs up, so either side may be a scratch server that answers only /readyz and /graphql.
// A tool, not a figure.
import path from 'node:path';
import { CSRF_HEADER, FINGERPRINT_COOKIE } from '@app/shared';
import { cpuPerOperation, cpuSnapshot } from './lib/cpu.js';
import { createDatabase } from './lib/database.js';
import { signIn, signUp } from './lib/graphql-client.js';
import { apiSigningJwks } from './lib/keys.js';
import { LoadProcess } from './lib/load-process.js';
import { startBuiltApi } from './lib/api-process.js';
import { type Service } from './lib/processes.js';
import { log, settings } from './lib/settings.js';
import { median } from './lib/stats.js';

const bDist = process.env['B_DIST'];
if (!bDist) throw new Error('B_DIST=<directory of the other API build> is required');
const rounds = Number(process.env['ROUNDS'] ?? 10);
const seconds = Number(process.env['SECONDS'] ?? 2);
const anonymous = process.env['ANON'] === '1';
const rotation = process.env['LOAD'] === 'rotation';
if (anonymous && rotation) throw new Error('LOAD=rotation needs a signed-in user: drop ANON=1');
const sessionsAtOnce = Number(process.env['SESSIONS'] ?? settings.rotationSessions);
const bEnv = JSON.parse(process.env['B_ENV'] ?? '{}') as Record<string, string>;

const database = await createDatabase(settings.adminDatabaseUrl);
const jwks = await apiSigningJwks();
const aDist = process.env['A_DIST'];
const aEnv = JSON.parse(process.env['A_ENV'] ?? '{}') as Record<string, string>;
const a = await startBuiltApi({
  name: 'api-a',
  ...(aDist ? { main: path.resolve(aDist, 'main.js') } : {}),
  port: settings.ports.api,
  databaseUrl: database.url,
  jwks,
  env: aEnv,
});
const b = await startBuiltApi({
  name: 'api-b',
  main: path.resolve(bDist, 'main.js'),
  port: settings.ports.extra,
  databaseUrl: database.url,
  jwks,
  env: bEnv,
}).catch(async (error: unknown) => {
  // Nothing of this run outlives it, not even when B does not start.
  await a.stop();
  await database.drop();
  throw error;
});
const load = new LoadProcess();
try {
  const headers: Record<string, string> = { 'content-type': 'application/json', [CSRF_HEADER]: '1' };
  const device = anonymous ? undefined : await signUp(a.url, `ab-${Date.now()}@example.com`);
  if (device) {
    headers['authorization'] = `Bearer ${device.token}`;
    headers['cookie'] = `${FINGERPRINT_COOKIE}=${device.cookies.get(FINGERPRINT_COOKIE)}`;
  }
  // Rotation windows start from sessions of their own: a rotation cut off at the end of the last
  // window would read as reuse in the next.
  const freshSessions = async () => {
    const jars: [string, string][][] = [];
    for (let i = 0; i < sessionsAtOnce; i++) jars.push([...(await signIn(a.url, device!.email)).cookies]);
    return jars;
  };
  const measure = async (server: Service, secs: number) => {
    const sessions = rotation ? await freshSessions() : undefined;
    const before = cpuSnapshot(server.child.pid);
    const r = await load.run(
      sessions
        ? { kind: 'rotation', url: `${server.url}/graphql`, sessions, seconds: secs }
        : {
            kind: 'autocannon',
            url: `${server.url}/graphql`,
            method: 'POST',
            headers,
            body: JSON.stringify({ query: '{ __typename }' }),
            connections: settings.connections,
            seconds: secs,
          },
    );
    if (r.errors) throw new Error(`${server.name}: ${r.errors} failed requests`);
    const cpu = cpuPerOperation(before, cpuSnapshot(server.child.pid), r.perSecond * secs);
    return { perSecond: r.perSecond, cpuUs: cpu ? (cpu.mainMs + cpu.otherThreadsMs) * 1000 : Number.NaN };
  };
  // Warm-up: JIT, caches, B's first verification of the token.
  for (let i = 0; i < (rotation ? 3 : 1); i++) {
    await measure(a, 2);
    await measure(b, 2);
  }
  const speed: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const got = new Map<Service, Awaited<ReturnType<typeof measure>>>();
    for (const server of i % 2 ? [b, a] : [a, b]) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      got.set(server, await measure(server, seconds));
    }
    const [ra, rb] = [got.get(a)!, got.get(b)!];
    speed.push(rb.perSecond / ra.perSecond);
    cpu.push(ra.cpuUs / rb.cpuUs);
    log(
      `round ${i + 1}: A ${ra.perSecond.toFixed(0)}/s ${ra.cpuUs.toFixed(0)} µs, B ${rb.perSecond.toFixed(0)}/s ${rb.cpuUs.toFixed(0)} µs`,
    );
  }
  log(
    `B ÷ A ${rotation ? 'rotations' : 'req'}/s: median ${median(speed).toFixed(3)}; A ÷ B CPU per ${rotation ? 'rotation' : 'request'}: median ${median(cpu).toFixed(3)}; B faster in ${speed.filter((r) => r > 1).length}/${rounds}`,
  );
} finally {
  load.close();
  await a.stop();
  await b.stop();
  await database.drop();
}
