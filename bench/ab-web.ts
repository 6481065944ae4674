// `B_WEB=<dir> tsx ab-web.ts`: an A/B of two builds of the web app in front of one API, the way a
// web-side change to the SSR figure is judged (ab-api.ts does the same for the API). A = apps/web,
// B = the copy in B_WEB. The copy must sit two directories below the repository (`.ab/web`, ignored
// by git), where its node_modules' relative links still reach the workspace's packages:
// `mkdir -p .ab && cp -a apps/web .ab/web` before a change, then `pnpm build` again. A_WEB chooses
// A's copy the same way.
//
// Each side serves the signed-in /notes (PAGE=/signin: the anonymous page, no cookies), one page at a
// time as the SSR figure loads them, with a session of its own, alternating A B / B A for ROUNDS
// rounds of SECONDS each. Per round: TTFB p50 and the web server's main-thread CPU per page
// (lib/cpu.ts). Prints the median of B ÷ A TTFB, of A ÷ B CPU per page, and in how many rounds B
// was faster. A control is one build against its own copy: its spread is the resolution. A tool,
// not a figure.
import path from 'node:path';
import { cpuPerOperation, cpuSnapshot } from './lib/cpu.js';
import { createDatabase } from './lib/database.js';
import { signIn, signUp } from './lib/graphql-client.js';
import { apiSigningJwks } from './lib/keys.js';
import { LoadProcess } from './lib/load-process.js';
import { startBuiltApi } from './lib/api-process.js';
import { REPO_ROOT, startService, type Service } from './lib/processes.js';
import { log, settings } from './lib/settings.js';
import { median } from './lib/stats.js';

const bWeb = process.env['B_WEB'];
if (!bWeb) throw new Error('B_WEB=<directory of the other web build, e.g. .ab/web> is required');
const aWeb = process.env['A_WEB'] ?? 'apps/web';
const rounds = Number(process.env['ROUNDS'] ?? 10);
const seconds = Number(process.env['SECONDS'] ?? 3);
const page = process.env['PAGE'] ?? '/notes';
const signedIn = page !== '/signin';

const startWeb = (name: string, dir: string, port: number, apiUrl: string) =>
  startService({
    name,
    command: process.execPath,
    args: ['dist/server/main.js'],
    cwd: path.resolve(REPO_ROOT, dir),
    env: { NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', API_URL: apiUrl },
    url: `http://127.0.0.1:${port}`,
    readyPath: '/signin',
  });

const database = await createDatabase(settings.adminDatabaseUrl);
const api = await startBuiltApi({ port: settings.ports.api, databaseUrl: database.url, jwks: await apiSigningJwks() });
const services: Service[] = [api];
const load = new LoadProcess();
try {
  const a = await startWeb('web-a', aWeb, settings.ports.web, api.url);
  services.push(a);
  const b = await startWeb('web-b', bWeb, settings.ports.extra, api.url);
  services.push(b);
  const email = `ab-web-${Date.now()}@example.com`;
  await signUp(api.url, email);
  // One session per side: each page rotates its refresh token, and the next page presents the new one.
  const jars = new Map<Service, [string, string][]>();
  for (const side of [a, b]) jars.set(side, signedIn ? [...(await signIn(api.url, email)).cookies] : []);

  const measure = async (side: Service, secs: number) => {
    const before = cpuSnapshot(side.child.pid);
    const r = await load.run({ kind: 'sequential', url: `${side.url}${page}`, cookies: jars.get(side)!, seconds: secs, expectStatus: 200 });
    if (r.errors) throw new Error(`${side.name}: ${r.errors} failed pages`);
    jars.set(side, r.cookies![0]!);
    const cpu = cpuPerOperation(before, cpuSnapshot(side.child.pid), r.perSecond * secs);
    return { ttfbMs: r.p50Ms, cpuUs: cpu ? cpu.mainMs * 1000 : Number.NaN };
  };
  // Warm-up: both sides' JIT and their first pages, taking turns.
  for (let i = 0; i < 5; i++) for (const side of [a, b]) await measure(side, 2);
  const ttfb: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const got = new Map<Service, Awaited<ReturnType<typeof measure>>>();
    for (const side of i % 2 ? [b, a] : [a, b]) {
      await new Promise((resolve) => setTimeout(resolve, 250)); // let the previous side's work drain
      got.set(side, await measure(side, seconds));
    }
    const [ra, rb] = [got.get(a)!, got.get(b)!];
    ttfb.push(rb.ttfbMs / ra.ttfbMs);
    cpu.push(ra.cpuUs / rb.cpuUs);
    log(
      `round ${i + 1}: A ${ra.ttfbMs.toFixed(3)} ms ${ra.cpuUs.toFixed(0)} µs, B ${rb.ttfbMs.toFixed(3)} ms ${rb.cpuUs.toFixed(0)} µs`,
    );
  }
  const spread = (xs: number[]) => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;
  log(
    `${page}: B ÷ A TTFB median ${median(ttfb).toFixed(3)} (${spread(ttfb)}); A ÷ B web CPU per page median ${median(cpu).toFixed(3)} (${spread(cpu)}); B faster in ${ttfb.filter((r) => r < 1).length}/${rounds}`,
  );
} finally {
  load.close();
  for (const s of services.reverse()) await s.stop();
  await database.drop();
}
