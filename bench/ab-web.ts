// `B_WEB=<dir> tsx ab-web.ts`: an A/B of two builds of the web app, or of the API, by the page they
// serve together: the way a change to the SSR figure is judged (ab-api.ts does the same for the
// API's request figures). Each side is a web server in front of an API of its own, both APIs on one
// database. Web: A = apps/web, B = the copy in B_WEB (A_WEB: another copy for A). A copy must sit
// two directories below the repository (`.ab/web`, ignored by git), where its node_modules'
// relative links still reach the workspace's packages: `mkdir -p .ab && cp -a apps/web .ab/web`
// before a change, then `pnpm build` again. API: apps/api/dist on both sides, or the builds in
// A_API_DIST and B_API_DIST (as ab-api.ts: a copy in apps/api/dist-b). Node options: A_NODE_ARGS and
// B_NODE_ARGS (space-separated, e.g. a V8 flag) go before the script of both of that side's processes.
//
// Each side serves the signed-in /notes (PAGE=/signin: the anonymous page, no cookies), one page at a
// time as the SSR figure loads them, with a session of its own, alternating A B / B A for ROUNDS
// rounds of SECONDS each. Per round: TTFB p50, and the main-thread CPU per page of the web server
// and of the API (lib/cpu.ts). Prints the median of B ÷ A TTFB, of A ÷ B CPU per page, and in how
// many rounds B was faster. A control is one build against its own copy: its spread is the
// resolution. A tool, not a figure.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cpuPerOperation, cpuSnapshot } from './lib/cpu.js';
import { createDatabase } from './lib/database.js';
import { signIn, signUp } from './lib/graphql-client.js';
import { apiSigningJwks } from './lib/keys.js';
import { LoadProcess } from './lib/load-process.js';
import { startBuiltApi } from './lib/api-process.js';
import { type Service } from './lib/processes.js';
import { startBuiltWeb } from './lib/web-process.js';
import { log, settings } from './lib/settings.js';
import { median } from './lib/stats.js';

const aWeb = process.env['A_WEB'] ?? 'apps/web';
const bWeb = process.env['B_WEB'] ?? 'apps/web';
const aApi = process.env['A_API_DIST'];
const bApi = process.env['B_API_DIST'];
if (!process.env['B_WEB'] && !process.env['A_WEB'] && !aApi && !bApi && !process.env['A_NODE_ARGS'] && !process.env['B_NODE_ARGS']) {
  throw new Error(
    'name what differs: B_WEB=<a copy of apps/web, e.g. .ab/web>, B_API_DIST=<a copy of apps/api/dist> and/or B_NODE_ARGS=<node options>',
  );
}
const rounds = Number(process.env['ROUNDS'] ?? 10);
const seconds = Number(process.env['SECONDS'] ?? 3);
const page = process.env['PAGE'] ?? '/notes';
const nodeArgsOf = (name: string) => (process.env[name] ?? '').split(' ').filter(Boolean);
const [aNodeArgs, bNodeArgs] = [nodeArgsOf('A_NODE_ARGS'), nodeArgsOf('B_NODE_ARGS')];
const signedIn = page !== '/signin';

const startWeb = (name: string, dir: string, port: number, apiUrl: string, nodeArgs: string[]) =>
  startBuiltWeb({ name, dir, port, apiUrl, nodeArgs });

const database = await createDatabase(settings.adminDatabaseUrl);
const jwks = await apiSigningJwks();
const services: Service[] = [];
const load = new LoadProcess();
try {
  const startApi = async (name: string, dist: string | undefined, port: number, nodeArgs: string[]) => {
    const api = await startBuiltApi({
      name,
      port,
      nodeArgs,
      databaseUrl: database.url,
      jwks,
      ...(dist ? { main: path.resolve(dist, 'main.js') } : {}),
    });
    services.push(api);
    return api;
  };
  const apiA = await startApi('api-a', aApi, settings.ports.api, aNodeArgs);
  const apiB = await startApi('api-b', bApi, settings.ports.extra + 1, bNodeArgs);
  const a = await startWeb('web-a', aWeb, settings.ports.web, apiA.url, aNodeArgs);
  services.push(a);
  const b = await startWeb('web-b', bWeb, settings.ports.extra, apiB.url, bNodeArgs);
  services.push(b);
  const apiOf = new Map([
    [a, apiA],
    [b, apiB],
  ]);
  const email = `ab-web-${Date.now()}@example.com`;
  await signUp(apiA.url, email);
  // One session per side: each page rotates its refresh token, and the next page presents the new one.
  const jars = new Map<Service, [string, string][]>();
  for (const side of [a, b]) jars.set(side, signedIn ? [...(await signIn(apiOf.get(side)!.url, email)).cookies] : []);

  const measure = async (side: Service, secs: number) => {
    const api = apiOf.get(side)!;
    const before = [cpuSnapshot(side.child.pid), cpuSnapshot(api.child.pid)] as const;
    const r = await load.run({ kind: 'sequential', url: `${side.url}${page}`, cookies: jars.get(side)!, seconds: secs, expectStatus: 200 });
    if (r.errors) throw new Error(`${side.name}: ${r.errors} failed pages`);
    jars.set(side, r.cookies![0]!);
    const web = cpuPerOperation(before[0], cpuSnapshot(side.child.pid), r.perSecond * secs);
    const apiCpu = cpuPerOperation(before[1], cpuSnapshot(api.child.pid), r.perSecond * secs);
    return { ttfbMs: r.p50Ms, webUs: web ? web.mainMs * 1000 : Number.NaN, apiUs: apiCpu ? apiCpu.mainMs * 1000 : Number.NaN };
  };
  // Warm-up: both sides' JIT and their first pages, taking turns.
  for (let i = 0; i < 5; i++) for (const side of [a, b]) await measure(side, 2);
  const ttfb: number[] = [];
  const webCpu: number[] = [];
  const apiCpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const got = new Map<Service, Awaited<ReturnType<typeof measure>>>();
    for (const side of i % 2 ? [b, a] : [a, b]) {
      await new Promise((resolve) => setTimeout(resolve, 250)); // let the previous side's work drain
      got.set(side, await measure(side, seconds));
    }
    const [ra, rb] = [got.get(a)!, got.get(b)!];
    ttfb.push(rb.ttfbMs / ra.ttfbMs);
    webCpu.push(ra.webUs / rb.webUs);
    apiCpu.push(ra.apiUs / rb.apiUs);
    const show = (x: typeof ra) => `${x.ttfbMs.toFixed(3)} ms, web ${x.webUs.toFixed(0)} µs, API ${x.apiUs.toFixed(0)} µs`;
    log(`round ${i + 1}: A ${show(ra)}; B ${show(rb)}`);
  }
  // What each side's processes hold after the rounds (a V8 setting's memory cost shows here).
  const rssMiB = (pid: number | undefined) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
  for (const [name, side] of [
    ['A', a],
    ['B', b],
  ] as const) {
    log(`${name} resident memory: web ${rssMiB(side.child.pid).toFixed(0)} MiB, API ${rssMiB(apiOf.get(side)!.child.pid).toFixed(0)} MiB`);
  }
  const spread = (xs: number[]) => `${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)})`;
  log(
    `${page}: B ÷ A TTFB median ${spread(ttfb)}; A ÷ B CPU per page, web ${spread(webCpu)}, API ${spread(apiCpu)}; B faster in ${ttfb.filter((r) => r < 1).length}/${rounds}`,
  );
} finally {
  load.close();
  for (const s of services.reverse()) await s.stop();
  await database.drop();
}
