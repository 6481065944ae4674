// `tsx profile-side.ts <authenticated|anonymous|bare|sign-in|sign-in-design|rotation|ssr|ssr-anonymous|ssr-design|ssr-design-anonymous|ssr-on-design-api> <dir> [seconds]`: one side
// of a figure alone, its server (the built API, bare Yoga or the built web app) started with
// --cpu-prof (or sampled by `perf`, or its allocations sampled: PROFILE_PERF, below), so that two
// profiles (one per side) can be compared function by function with profile-summary.ts. A
// profiling aid, not a figure.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CSRF_HEADER, FINGERPRINT_COOKIE, REFRESH_COOKIE, SIGN_IN } from '@app/shared';
import { FLOOR_COOKIE, FLOOR_FINGERPRINT_COOKIE, seed } from './alternatives/rotation-sql.js';
import { cpuPerOperation, cpuSnapshot, type CpuSnapshot } from './lib/cpu.js';
import { createDatabase, firstUserId } from './lib/database.js';
import { PASSWORD, signIn, signUp } from './lib/graphql-client.js';
import { apiSigningJwks } from './lib/keys.js';
import { LoadProcess } from './lib/load-process.js';
import { allocationOwners, startHeapSampling, type SamplingHeapProfile } from './lib/heap-sampling.js';
import { formatPerfMap, latestPerfMap, parsePerfMap } from './lib/perf-map.js';
import { startBuiltApi } from './lib/api-process.js';
import { perfOwners } from './lib/perf-owners.js';
import { startDesignApi, startSsrFloor } from './lib/ssr-floor.js';
import { BENCH_DIR, startService, tsxArgs } from './lib/processes.js';
import { startBuiltWeb } from './lib/web-process.js';
import { log, settings } from './lib/settings.js';

const [side, dir, secondsArg] = process.argv.slice(2);
const SIDES = [
  'authenticated',
  'anonymous',
  'bare',
  'sign-in',
  'sign-in-design',
  'rotation',
  'ssr',
  'ssr-anonymous',
  'ssr-design',
  'ssr-design-anonymous',
  'ssr-on-design-api',
];
// `sign-in-design`: the sign-in design floor (servers/sign-in-design-floor.ts) sent the API's sign-in body, as `sign-in`.
const signInDesign = side === 'sign-in-design';
if (!side || !SIDES.includes(side) || !dir) {
  throw new Error(`usage: tsx profile-side.ts <${SIDES.join('|')}> <dir> [seconds]`);
}
const seconds = Number(secondsArg ?? 10);
const PERF_HZ = 4000;
/** The main thread's CPU per operation in the measured window, once perf has been read (reportPerf). */
let perOperationUs: number | undefined;
// perf samples the measured window but its last second: only loaded time counts.
const PERF_SECONDS = Math.max(1, seconds - 1);
// `ssr` profiles the web server on the signed-in /notes, `ssr-anonymous` on the anonymous /signin: the
// SSR figure's two sides. PROFILE_MARKS=1 with either: instead of a CPU profile of the web server,
// wall-clock marks of each page in the web server and the API (probes/request-marks.mjs), printed at
// the end.
// `ssr-design`: the SSR design floor (lib/ssr-floor.ts) under its /notes-design pages, one at a time,
// and `ssr-design-anonymous` under its anonymous /signin: its web server (servers/ssr-floor-web), or
// with PROFILE_TARGET=api its API (servers/ssr-floor-api.ts), to compare with `ssr` and `ssr-anonymous`
// function by function; with PROFILE_MARKS=1 the same marks as ours, in its web server and its API, to
// compare with ours step by step.
const design = side === 'ssr-design' || side === 'ssr-design-anonymous';
// `ssr-on-design-api`: the built web app's signed-in /notes in front of servers/design-api.ts (this
// design's refresh written plainly, under our API's names), as run.ts's "our page on the design's
// API": its web server, or with PROFILE_TARGET=api that API, to set beside `ssr` (the same web app
// in front of ours).
const onDesignApi = side === 'ssr-on-design-api';
const page =
  side === 'ssr' || onDesignApi
    ? '/notes'
    : side === 'ssr-anonymous' || side === 'ssr-design-anonymous'
      ? '/signin'
      : design
        ? '/notes-design'
        : undefined;
const marks = page !== undefined && process.env['PROFILE_MARKS'] === '1';
const marksArgs = ['--import', path.join(BENCH_DIR, 'probes/request-marks.mjs')];
// PROFILE_TARGET=api with any SSR side: the API is profiled instead, under the pages' load (the
// refresh and page query that each signed-in render asks of it).
const ssrApi = page !== undefined && process.env['PROFILE_TARGET'] === 'api';

// PROFILE_PERF=1 (Linux, `perf` installed): instead of --cpu-prof, which counts wall time on a busy
// machine, the profiled process's main thread is sampled in CPU time by `perf record -e cpu-clock`
// during the measured window (node --perf-basic-prof names its JIT-compiled functions); written to
// <dir>/<side>.perf.data, with the main thread's CPU per request and a split by binary printed.
// PROFILE_PERF=stacks records call stacks too (perf -g; node --interpreted-frames-native-stack, so
// that functions still running in V8's interpreter appear in them).
const usePerf = process.env['PROFILE_PERF'] === '1' || process.env['PROFILE_PERF'] === 'stacks';
// PROFILE_PERF=none: no profiler at all, for the CPU split printed after every window (reportCpu),
// undisturbed by one. With it, PROFILE_NODE_FLAGS (space-separated) are given to the profiled
// process's node, to compare a V8 or Node option against none (e.g. --no-lazy-feedback-allocation).
const noProfiler = process.env['PROFILE_PERF'] === 'none';
const perfStacks = process.env['PROFILE_PERF'] === 'stacks';
// PROFILE_PERF=heap: what the profiled process allocates in the measured window, by whose code
// (lib/heap-sampling.ts), per operation; written to <dir>/<side>.heapprofile. The inspector listens
// on loopback only, and the sampling slows the process: read its bytes, not its speed.
const useHeap = process.env['PROFILE_PERF'] === 'heap';
const profileArgs = useHeap
  ? [`--inspect=127.0.0.1:${settings.ports.inspector}`]
  : usePerf
    ? // V8's own log, which --perf-basic-prof opens, goes beside the perf data instead of the working directory.
      [
        '--perf-basic-prof',
        ...(perfStacks ? ['--interpreted-frames-native-stack'] : []),
        `--logfile=${path.resolve(dir, `${side}.v8.log`)}`,
        '--no-logfile-per-isolate',
      ]
    : noProfiler
      ? (process.env['PROFILE_NODE_FLAGS'] ?? '').split(' ').filter(Boolean)
      : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir, side)}`];
if (usePerf || useHeap) mkdirSync(path.resolve(dir), { recursive: true });

const database = await createDatabase(settings.adminDatabaseUrl);
// The profiled process: the API, except for `bare` (bare Yoga), `sign-in-design` (the sign-in design
// floor), the design floor's SSR sides (its web server or API) and our two SSR sides (the web server,
// unless PROFILE_TARGET=api).
const profiled = (side !== 'bare' && !signInDesign && page === undefined) || (ssrApi && !design && !onDesignApi);
const api = await startBuiltApi({
  port: settings.ports.api,
  databaseUrl: database.url,
  jwks: await apiSigningJwks(),
  // With the design floor's sides our API only seeds their session: the marks go to the floor's API.
  nodeArgs: profiled ? profileArgs : marks && !design ? marksArgs : [],
  ...(marks && !design ? { env: { PROBE_PATH: '/graphql' } } : {}),
});
// A server other than ours, for `bare` and `sign-in-design`.
const alternative =
  side === 'bare'
    ? await startService({
        name: 'bare-yoga',
        command: process.execPath,
        args: [...profileArgs, ...tsxArgs('servers/bare-yoga.ts')],
        env: { NODE_ENV: 'production', PORT: String(settings.ports.bareYoga) },
        url: `http://127.0.0.1:${settings.ports.bareYoga}`,
        readyPath: '/graphql?query=%7B__typename%7D',
      })
    : signInDesign
      ? await startService({
          name: 'sign-in-design-floor',
          command: process.execPath,
          args: [...profileArgs, ...tsxArgs('servers/sign-in-design-floor.ts')],
          env: { NODE_ENV: 'production', PORT: String(settings.ports.signInDesignFloor), DATABASE_URL: database.url },
          url: `http://127.0.0.1:${settings.ports.signInDesignFloor}`,
          readyPath: '/',
        })
      : undefined;
// The design floor's sides: the thinnest Next + Yoga app (lib/ssr-floor.ts), on a session seeded as
// the bench seeds it.
const floorRun = `p${Date.now().toString(36)}`;
const floor = design
  ? await (async () => {
      await signUp(api.url, `profile-floor-${Date.now()}@example.com`);
      const userId = await firstUserId(database.url);
      await seed(database.url, userId, floorRun, 1);
      await seed(database.url, userId, `c${floorRun}`, 1);
      return startSsrFloor({
        databaseUrl: database.url,
        apiPort: settings.ports.ssrFloorApi,
        webPort: settings.ports.ssrFloorWeb,
        capture: { port: settings.ports.capture, cookie: `${FLOOR_COOKIE}=c${floorRun}.0.0` },
        apiNodeArgs: marks ? marksArgs : ssrApi ? profileArgs : [],
        webNodeArgs: marks ? marksArgs : ssrApi ? [] : profileArgs,
        ...(marks ? { apiEnv: { PROBE_PATH: '/graphql' }, webEnv: { PROBE_PATH: page } } : {}),
      });
    })()
  : undefined;
// ssr-on-design-api: servers/design-api.ts, on a session seeded as the bench seeds it.
const designApi = onDesignApi
  ? await (async () => {
      await signUp(api.url, `profile-design-api-${Date.now()}@example.com`);
      await seed(database.url, await firstUserId(database.url), floorRun, 1);
      return startDesignApi({
        databaseUrl: database.url,
        port: settings.ports.designApi,
        nodeArgs: marks ? marksArgs : ssrApi ? profileArgs : [],
        ...(marks ? { env: { PROBE_PATH: '/graphql' } } : {}),
      });
    })()
  : undefined;
// ssr, ssr-anonymous, ssr-on-design-api: the built web app (one page at a time).
const web =
  floor?.web ??
  (page !== undefined
    ? await startBuiltWeb({
        port: settings.ports.web,
        apiUrl: (designApi ?? api).url,
        nodeArgs: marks ? marksArgs : ssrApi ? [] : profileArgs,
        ...(marks ? { env: { PROBE_PATH: page } } : {}),
      })
    : undefined);
const load = new LoadProcess();
try {
  const device = await signUp(api.url, `profile-${Date.now()}@example.com`);
  const headers: Record<string, string> = { 'content-type': 'application/json', [CSRF_HEADER]: '1' };
  if (side === 'authenticated') {
    headers['authorization'] = `Bearer ${device.token}`;
    headers['cookie'] = `${FINGERPRINT_COOKIE}=${device.cookies.get(FINGERPRINT_COOKIE)}`;
  }
  if (web) {
    let cookies: [string, string][] =
      side === 'ssr-design'
        ? [
            [FLOOR_COOKIE, `${floorRun}.0.0`],
            [FLOOR_FINGERPRINT_COOKIE, `${floorRun}:0`],
          ]
        : onDesignApi
          ? [
              [REFRESH_COOKIE, `${floorRun}.0.0`],
              [FINGERPRINT_COOKIE, `${floorRun}:0`],
            ]
          : page === '/notes'
            ? [...device.cookies]
            : [];
    const pageLoad = async (windowSeconds: number) => {
      const r = await load.run({ kind: 'sequential', url: `${web.url}${page}`, cookies, seconds: windowSeconds, expectStatus: 200 });
      cookies = r.cookies![0]!;
      return r;
    };
    await warmUp(pageLoad);
    const cpuBefore = cpuSnapshot(profiledPid());
    const recording = usePerf ? recordMainThread(profiledPid()) : undefined;
    const heap = useHeap ? await sampleHeap() : undefined;
    const r = await pageLoad(seconds);
    log(`${side}: ${r.perSecond.toFixed(0)} pages/s, TTFB p50 ${r.p50Ms.toFixed(2)} ms, errors ${r.errors}`);
    reportCpu(cpuBefore, r.perSecond * seconds, 'page');
    if (recording) reportPerf(await recording, r.perSecond * seconds, 'page');
    if (heap) reportHeap(await heap(), r.perSecond * seconds, 'page');
  }
  const job = {
    kind: 'autocannon' as const,
    url: signInDesign ? alternative!.url : `${(alternative ?? api).url}/graphql`,
    method: 'POST' as const,
    headers,
    body: JSON.stringify(
      side === 'sign-in' || signInDesign
        ? { query: SIGN_IN, variables: { email: device.email, password: PASSWORD } }
        : { query: '{ __typename }' },
    ),
    connections: Number(
      process.env['PROFILE_CONNECTIONS'] ?? (side === 'sign-in' || signInDesign ? settings.signInConcurrency : settings.connections),
    ),
  };
  if (side === 'rotation') {
    // As the rotation figure drives it: settings.rotationSessions sessions refreshing at once, each
    // presenting its latest refresh token. Fresh sessions for the measured window: a rotation cut
    // off at the end of the warm-up would look like reuse.
    const sessions = async () => {
      const devices: Awaited<ReturnType<typeof signIn>>[] = [];
      for (let i = 0; i < settings.rotationSessions; i++) devices.push(await signIn(api.url, device.email));
      return devices.map((d) => [...d.cookies]);
    };
    const rotations = { kind: 'rotation' as const, url: `${api.url}/graphql` };
    await load.run({ ...rotations, sessions: await sessions(), seconds: 2 });
    const measured = await sessions();
    const cpuBefore = cpuSnapshot(profiledPid());
    const recording = usePerf ? recordMainThread(profiledPid()) : undefined;
    const heap = useHeap ? await sampleHeap() : undefined;
    const r = await load.run({ ...rotations, sessions: measured, seconds });
    log(`${side}: ${r.perSecond.toFixed(0)} rotations/s, errors ${r.errors}`);
    reportCpu(cpuBefore, r.perSecond * seconds, 'rotation');
    if (recording) reportPerf(await recording, r.perSecond * seconds, 'rotation');
    if (heap) reportHeap(await heap(), r.perSecond * seconds, 'rotation');
  } else if (!web) {
    await warmUp((windowSeconds) => load.run({ ...job, seconds: windowSeconds }));
    const cpuBefore = cpuSnapshot(profiledPid());
    const recording = usePerf ? recordMainThread(profiledPid()) : undefined;
    const heap = useHeap ? await sampleHeap() : undefined;
    const r = await load.run({ ...job, seconds });
    log(`${side}: ${r.perSecond.toFixed(0)} req/s, errors ${r.errors}`);
    reportCpu(cpuBefore, r.perSecond * seconds, 'request');
    if (recording) reportPerf(await recording, r.perSecond * seconds, 'request');
    if (heap) reportHeap(await heap(), r.perSecond * seconds, 'request');
  }
} finally {
  load.close();
  await alternative?.stop();
  await web?.stop();
  await floor?.api.stop();
  await designApi?.stop();
  await api.stop();
  await database.drop();
}
// The profiled process has stopped writing its perf map: name each address by its latest code, which
// `perf report` and `perf script` would otherwise not do (lib/perf-map.ts).
if (usePerf) {
  const mapFile = `/tmp/perf-${profiledPid()}.map`;
  if (existsSync(mapFile)) writeFileSync(mapFile, formatPerfMap(latestPerfMap(parsePerfMap(readFileSync(mapFile, 'utf8')))));
  // With call stacks: whose code the main thread's CPU ran in (lib/perf-owners.ts), per operation.
  if (perfStacks && perOperationUs !== undefined) {
    log(`perf: main thread's CPU per operation by whose code ran (the innermost JavaScript frame's package or file):`);
    const owners = perfOwners(path.resolve(dir, `${side}.perf.data`));
    const line = (share: number, owner: string) =>
      log(`perf:   ${(share * perOperationUs!).toFixed(1).padStart(7)} µs  ${(100 * share).toFixed(1).padStart(5)} %  ${owner}`);
    for (const { owner, share } of owners.filter((o) => o.share >= 0.001)) line(share, owner);
    const rest = owners.filter((o) => o.share < 0.001);
    if (rest.length > 0)
      line(
        rest.reduce((sum, o) => sum + o.share, 0),
        `(${rest.length} more, each under 0.1 %)`,
      );
  }
}

/** The process whose main thread is profiled. */
function profiledPid(): number {
  const service = design
    ? ssrApi
      ? floor!.api
      : floor!.web
    : onDesignApi && ssrApi
      ? designApi!
      : ssrApi
        ? api
        : page !== undefined
          ? web!
          : (alternative ?? api);
  return service.child.pid!;
}

/**
 * As the bench warms a side up (lib/alternate.ts): load until the side has served
 * settings.warmupOperations or settings.warmupMaxSeconds have passed, so that a profile reads code
 * as warm as the figures' rounds do. A 2 s warm-up left the thinnest app's signed-in page ~30 %
 * slower in a 30 s profile than in the bench's rounds, its CPU per page inflated by as much
 * (eighteenth pass).
 */
async function warmUp(window: (seconds: number) => Promise<{ perSecond: number }>): Promise<void> {
  let operations = 0;
  let elapsed = 0;
  while (operations < settings.warmupOperations && elapsed < settings.warmupMaxSeconds) {
    const r = await window(2);
    operations += r.perSecond * 2;
    elapsed += 2;
  }
  log(`${side}: warmed up with ${Math.round(operations)} operations in ${elapsed} s`);
}

function sampleHeap(): Promise<() => Promise<SamplingHeapProfile>> {
  return startHeapSampling(settings.ports.inspector, path.resolve(dir!, `${side}.heapprofile`));
}

/** KB allocated per operation in the window, in all and by owner (lib/heap-sampling.ts). */
function reportHeap(profile: SamplingHeapProfile, operations: number, unit: string): void {
  const owners = allocationOwners(profile);
  const kb = (bytes: number) => (bytes / operations / 1024).toFixed(1).padStart(7);
  const total = owners.reduce((sum, o) => sum + o.bytes, 0);
  log(`heap: ${kb(total).trim()} KB allocated per ${unit}, by whose code allocated it:`);
  for (const { owner, bytes } of owners.filter((o) => o.bytes >= total * 0.005)) log(`heap: ${kb(bytes)} KB  ${owner}`);
  const rest = owners.filter((o) => o.bytes < total * 0.005);
  if (rest.length > 0) log(`heap: ${kb(rest.reduce((sum, o) => sum + o.bytes, 0))} KB  (${rest.length} more, each under 0.5 %)`);
}

/** The profiled process's CPU per operation in the window (lib/cpu.ts), as the bench's figures read it. */
function reportCpu(before: CpuSnapshot | null, operations: number, unit: string): void {
  const per = cpuPerOperation(before, cpuSnapshot(profiledPid()), operations);
  if (!per) return;
  const us = (ms: number) => (ms * 1000).toFixed(0);
  log(
    `cpu: per ${unit}, main thread ${us(per.mainMs)} µs, other threads ${us(per.otherThreadsMs)} µs, PostgreSQL ${us(per.postgresMs)} µs${usePerf || noProfiler ? '' : useHeap ? ' (with heap sampling running)' : ' (with --cpu-prof running)'}`,
  );
}

/** `perf record` of one thread (a process's main thread has the process's id) during a measured window. */
function recordMainThread(tid: number): Promise<string> {
  const file = path.resolve(dir!, `${side}.perf.data`);
  const perf = spawn(
    'perf',
    [
      'record',
      '-q',
      ...(perfStacks ? ['-g'] : []),
      '-e',
      'cpu-clock',
      '-F',
      String(PERF_HZ),
      '-t',
      String(tid),
      '-o',
      file,
      '--',
      'sleep',
      String(PERF_SECONDS),
    ],
    {
      stdio: 'ignore',
    },
  );
  return new Promise((resolve, reject) => {
    perf.once('error', reject);
    perf.once('exit', (code) => (code === 0 ? resolve(file) : reject(new Error(`perf record exited with ${code}`))));
  });
}

/** The main thread's CPU per operation, and how it splits between the kernel, node's binary and JIT code. */
function reportPerf(file: string, operations: number, unit: string): void {
  // Flat (no call graphs, each sample counted once) even when the data has stacks (PROFILE_PERF=stacks).
  const report = spawnSync('perf', ['report', '-i', file, '--stdio', '--sort', 'dso', '--no-children', '-g', 'none'], {
    encoding: 'utf8',
  }).stdout;
  // cpu-clock counts nanoseconds.
  const nanoseconds = Number(/Event count \(approx\.\): (\d+)/.exec(report)?.[1] ?? NaN);
  const perOperation = (operations * PERF_SECONDS) / seconds;
  perOperationUs = nanoseconds / 1e3 / perOperation;
  log(`perf: ${file}; main thread ${perOperationUs.toFixed(1)} µs of CPU per ${unit}`);
  for (const line of report
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .slice(0, 8))
    log(`perf:   ${line.trim()}`);
}

if (marks) {
  for (const service of floor ? [floor.web, floor.api] : [web!, api]) {
    for (const line of readFileSync(service.logFile, 'utf8').split('\n')) if (line.startsWith('MARKS')) log(`${service.name} ${line}`);
  }
} else if (useHeap) {
  log(`allocation profile in ${path.resolve(dir, `${side}.heapprofile`)} (open it in Chrome DevTools, Memory tab)`);
} else if (!noProfiler) {
  log(
    usePerf
      ? `perf data in ${path.resolve(dir, `${side}.perf.data`)} (read with: perf report -i <file> --sort sym)`
      : `profile in ${path.resolve(dir, side)} (summarise with: tsx ${path.relative(process.cwd(), path.join(BENCH_DIR, 'profile-summary.ts'))} <file>)`,
  );
}
