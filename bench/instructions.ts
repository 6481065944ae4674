// `pnpm bench:instructions` (in bench/): the request figures counted in instructions instead of
// seconds, so that they read the same on a quiet machine and on a busy one (lib/callgrind.ts says
// why and what is counted).
//
// The servers of the request figures (run.ts, figure 1) — our built API, bare Yoga, bare Yoga plus
// our stack's hooks doing nothing, Yoga + plugin-jwt, the token-check floor — each run under
// valgrind's callgrind, one at a time.
// For every side: a warm-up without counting (so V8 has compiled the hot code as it does outside
// valgrind), then counting switched on for exactly `requests` `{ __typename }` requests from the
// bench's load process (16 connections, as in run.ts), switched off, and dumped. Each side is
// counted `windows` times; the spread of those counts says how repeatable the reading is.
//
// A throughput ratio of two sides is their instructions per request the other way up: our
// anonymous ÷ bare Yoga in req/s becomes bare Yoga's instructions per request ÷ ours. Same targets.
// valgrind does not see the kernel's share of a request (its socket reads and writes, about the
// same on every side), nor how many instructions a cycle runs: instructions stand in for the time
// of sides whose work is alike (JavaScript on Yoga), not for OpenSSL's ECDSA against JavaScript.
//
// Sign-ins too (figure 3's main thread): our API's `signIn`, the sign-in design floor's
// (servers/sign-in-design-floor.ts) and the sign-in Yoga floor's (servers/sign-in-yoga-floor.ts, the
// same work as a bare Yoga mutation), counted the same way but one at a time. The account's
// argon2id hash is first replaced by a cheap one of the same password (256 KiB, one pass): argon2
// runs on libuv's threads, not the main thread, and at the API's parameters one verification
// under valgrind takes seconds.
// The main thread's path is the same whatever the parameters: its instructions are what a
// sign-in's own code costs, ours beside the least this design can cost. Not the sign-in figure
// itself, which is time on cores that argon2 fills.
//
// BENCH_INSTRUCTIONS_REQUESTS (default 2000), BENCH_INSTRUCTIONS_WINDOWS (default 3),
// BENCH_INSTRUCTIONS_WARMUP (default 8000), BENCH_INSTRUCTIONS_SIGN_INS (per window, default 300),
// BENCH_INSTRUCTIONS_SIGN_IN_WARMUP (default 3000). Writes results/instructions.json and prints a table.
// To compare two builds of the API instruction by instruction: BENCH_INSTRUCTIONS_API_MAIN=<another
// build's main.js> BENCH_INSTRUCTIONS_ONLY=ours counts our API's sides only, from that build,
// and writes results/instructions-<BENCH_NAME or "scratch">.json.
//
// The signed-in page's request too (figure 4's API part): the request the built web app sends its
// API for /notes (the refresh that also reads the page's data; captured from the web server, as
// run.ts does: lib/capture-request.ts), sent to our API and to servers/design-api.ts (this design's
// refresh written plainly under our names, on bare Yoga), one at a time, each carrying the cookies
// the last answer set. Their ratio is the API's share of the SSR gap, in work.
// BENCH_INSTRUCTIONS_PAGES (per window, default 300), BENCH_INSTRUCTIONS_PAGE_WARMUP (default 3000).
// BENCH_INSTRUCTIONS_FIGURES=requests,sign-in,page (default all three) counts only those.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import pg from 'pg';
import { CSRF_HEADER, FINGERPRINT_COOKIE, REFRESH_ACCESS_TOKEN, REFRESH_COOKIE, SIGN_IN } from '@app/shared';
import { seed } from './alternatives/rotation-sql.js';
import { startBuiltApi } from './lib/api-process.js';
import { callgrindArgs, callgrindControl, readDump, type Dump } from './lib/callgrind.js';
import { captureApiRequest, replayJob, type CapturedRequest } from './lib/capture-request.js';
import { createDatabase, firstUserId } from './lib/database.js';
import { cookieHeader, graphql, PASSWORD, signIn, signUp, type Device } from './lib/graphql-client.js';
import { apiSigningJwks, AUDIENCE, es256TokenAndKey, ISSUER } from './lib/keys.js';
import { LoadProcess } from './lib/load-process.js';
import { typenameJob, type LoadResult } from './load/jobs.js';
import { BENCH_DIR, REPO_ROOT, startService, tsxArgs, type Service } from './lib/processes.js';
import { startBuiltWeb } from './lib/web-process.js';
import { machine } from './lib/report.js';
import { log, positiveFromEnv, settings } from './lib/settings.js';
import { median } from './lib/stats.js';

const REQUESTS = positiveFromEnv('BENCH_INSTRUCTIONS_REQUESTS', 2000, { integer: true });
const WINDOWS = positiveFromEnv('BENCH_INSTRUCTIONS_WINDOWS', 3, { integer: true });
const WARMUP = positiveFromEnv('BENCH_INSTRUCTIONS_WARMUP', 8000, { integer: true });
const SIGN_INS = positiveFromEnv('BENCH_INSTRUCTIONS_SIGN_INS', 300, { integer: true });
const SIGN_IN_WARMUP = positiveFromEnv('BENCH_INSTRUCTIONS_SIGN_IN_WARMUP', 3000, { integer: true });
/**
 * Sign-ins are counted one at a time. WHY: 8 at once (run.ts's concurrency) made the count depend
 * on timing, which valgrind's one-thread-at-a-time scheduling shuffles: which sign-ins wait at the
 * argon2 gate or for a pool client changes the path they take. The same build read 1.91 and 2.32
 * million instructions per sign-in in two processes; one at a time, 2.03, 2.00 and 1.94 in three (2026-12-06).
 */
const SIGN_IN_CONNECTIONS = 1;
/** Requests sent just before each counted window, uncounted: a fresh token's first verification is not what a request costs. */
const SETTLE = 200;
/** Sign-ins sent just before each counted window, uncounted, likewise. */
const SIGN_IN_SETTLE = 20;
const PAGES = positiveFromEnv('BENCH_INSTRUCTIONS_PAGES', 300, { integer: true });
const PAGE_WARMUP = positiveFromEnv('BENCH_INSTRUCTIONS_PAGE_WARMUP', 3000, { integer: true });
/** Page requests sent just before each counted window, uncounted, likewise. */
const PAGE_SETTLE = 20;
const FIGURE_SETS = ['requests', 'sign-in', 'page'] as const;
const wantedSets = (process.env['BENCH_INSTRUCTIONS_FIGURES'] ?? FIGURE_SETS.join(','))
  .split(',')
  .map((f) => f.trim())
  .filter(Boolean);
for (const f of wantedSets) {
  if (!(FIGURE_SETS as readonly string[]).includes(f))
    throw new Error(`BENCH_INSTRUCTIONS_FIGURES: unknown "${f}" (${FIGURE_SETS.join(', ')})`);
}
const wanted = (set: (typeof FIGURE_SETS)[number]) => wantedSets.includes(set);
const API_MAIN = process.env['BENCH_INSTRUCTIONS_API_MAIN'] ?? path.join(REPO_ROOT, 'apps/api/dist/main.js');
const OURS_ONLY = process.env['BENCH_INSTRUCTIONS_ONLY'] === 'ours';
// A partial count (ours only, or some of the figures) never overwrites the full one.
const RESULT_FILE =
  OURS_ONLY || wantedSets.length < FIGURE_SETS.length ? `instructions-${process.env['BENCH_NAME'] ?? 'scratch'}.json` : 'instructions.json';

const JSON_POST = { 'content-type': 'application/json', [CSRF_HEADER]: '1' };
/** Under valgrind a server starts many times slower than it runs. */
const START_TIMEOUT_MS = 300_000;

// BENCH_INSTRUCTIONS_KEEP=<dir>: callgrind's dumps are kept there, and every counted node writes
// its JIT code's names to /tmp/perf-<pid>.map (--perf-basic-prof), so that instructions-by-function.ts
// can name the JavaScript functions the instructions ran in. The map's writes are counted too: a
// run that keeps is for reading where the instructions go, not for the figures.
const KEEP_DIR = process.env['BENCH_INSTRUCTIONS_KEEP'];
/**
 * Every counted node runs without V8's memory reducer. WHY: the reducer decides on the wall clock
 * (8 s after a burst, it collects the whole heap if the allocation rate has fallen). Under valgrind
 * a server runs ~50 times slower, so the reducer took it for idle while it served and ran a
 * memory-reducing mark-compact mid-count. That collection drops maps no live object holds, and
 * the optimised code built on them: V8 then runs baseline code (object literals through its
 * runtime, generic inline caches) until the functions are hot again, longer than a window of 300.
 * A page request read 2.2 million instructions before one such collection and 2.5–2.8 million in
 * every window after it; a sign-in 2.0, then 2.6–2.8 (2026-12-07; the reducer's task in exactly
 * the windows that rose). At full speed it changes nothing measurable under load (the SSR page
 * without it ÷ with it: 1.02 in TTFB, 1.01 in the API's CPU per page, ab-web.ts, 12 rounds), so
 * without it the count is the work a server does at full speed. HISTORY.md, thirty-first pass.
 * (--perf-basic-prof also opens V8's log: sent nowhere, so that no isolate-*.log lands in a
 * working directory.) BENCH_INSTRUCTIONS_NODE_ARGS adds node options (space-separated).
 */
const NODE_ARGS = [
  '--no-memory-reducer',
  ...(KEEP_DIR ? ['--perf-basic-prof', '--no-logfile-per-isolate', '--logfile=/dev/null'] : []),
  ...(process.env['BENCH_INSTRUCTIONS_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
];
const outDir = KEEP_DIR ? path.resolve(KEEP_DIR) : mkdtempSync(path.join(tmpdir(), 'bench-callgrind-'));
if (KEEP_DIR) mkdirSync(outDir, { recursive: true });
const cleanups: (() => Promise<void>)[] = KEEP_DIR ? [] : [() => Promise.resolve(rmSync(outDir, { recursive: true, force: true }))];
const cleanup = async () => {
  for (const c of cleanups.reverse()) await c().catch((e: unknown) => log(`cleanup: ${String(e)}`));
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().then(() => process.exit(130)));

/** A server under callgrind: its pid, its output file and how many dumps it has written. */
type Counted = Service & { pid: number; outFile: string; dumps: number };

/** Starts a server under callgrind (counting off) with `start`, given valgrind's command line. */
async function startCounted(name: string, start: (launcher: string[]) => Promise<Service>): Promise<Counted> {
  const outFile = path.join(outDir, `${name}.out`);
  const service = await start(['valgrind', ...callgrindArgs(outFile)]);
  cleanups.push(() => service.stop());
  // valgrind runs the program in its own process: the pid callgrind_control addresses.
  return { ...service, pid: service.child.pid!, outFile, dumps: 0 };
}

/** argon2id's parameters for the sign-in sides' account: cheap (256 KiB, one pass, one lane), so that argon2 stays small beside the main thread. */
const CHEAP_HASH = { type: argon2.argon2id, memoryCost: 256, timeCost: 1, parallelism: 1 } as const;

/** Replaces the account's hash with a cheap argon2id hash of the same password (see the header). */
async function useCheapPasswordHash(databaseUrl: string, email: string): Promise<void> {
  const hash = await argon2.hash(PASSWORD, CHEAP_HASH);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rowCount } = await db.query('UPDATE users SET password_hash = $1 WHERE email = $2', [hash, email]);
    if (rowCount !== 1) throw new Error(`no account ${email} to give a cheap hash`);
  } finally {
    await db.end();
  }
}

try {
  const load = new LoadProcess();
  cleanups.push(async () => load.close());
  /**
   * What a side is counted on: `amount` operations a window, after `settle` uncounted ones, and
   * `warmup` uncounted before its first window. `ready()` gives the load for a number of them,
   * readied for the next window (a fresh access token, for one).
   */
  type Workload = {
    label: string;
    operation: 'request' | 'sign-in' | 'page request';
    amount: number;
    settle: number;
    warmup: number;
    ready(): Promise<(amount: number) => Promise<LoadResult>>;
  };
  const typename = (label: string, server: Service, headers: () => Promise<Record<string, string>>): Workload => ({
    label,
    operation: 'request',
    amount: REQUESTS,
    settle: SETTLE,
    warmup: WARMUP,
    async ready() {
      const h = await headers();
      return (amount) => load.run(typenameJob(server.url, h, settings.connections, { amount }));
    },
  });
  const signIns = (label: string, url: string, body: string): Workload => ({
    label,
    operation: 'sign-in',
    amount: SIGN_INS,
    settle: SIGN_IN_SETTLE,
    warmup: SIGN_IN_WARMUP,
    ready: async () => (amount) =>
      load.run({
        kind: 'autocannon',
        url,
        method: 'POST',
        headers: JSON_POST,
        body,
        connections: SIGN_IN_CONNECTIONS,
        seconds: 0,
        amount,
      }),
  });

  const refreshCookie = (jar: [string, string][]) => jar.find(([name]) => name === REFRESH_COOKIE)?.[1];
  /** The signed-in page's request to an API, one at a time, each with the cookies the last answer set. */
  const pageRequests = (label: string, apiUrl: string, request: CapturedRequest, cookies: [string, string][]): Workload => {
    let jar = cookies;
    return {
      label,
      operation: 'page request',
      amount: PAGES,
      settle: PAGE_SETTLE,
      warmup: PAGE_WARMUP,
      ready: async () => async (amount) => {
        const r = await load.run(replayJob(request, apiUrl, jar, { count: amount }));
        // A refused refresh also answers 200 (with an error) and clears the cookies: only a refresh
        // cookie that is still there and new shows that every request rotated.
        const after = refreshCookie(r.cookies![0]!);
        if (after === undefined || after === refreshCookie(jar)) throw new Error(`${label}: the page's request did not rotate`);
        jar = r.cookies![0]!;
        return r;
      },
    };
  };

  /** Counts one window of `side`: settle, on, load, off, dump. Throws if any operation failed. */
  async function count(server: Counted, side: Workload): Promise<Dump> {
    const run = await side.ready();
    const settle = await run(side.settle);
    if (settle.errors > 0) throw new Error(`${side.label}: ${settle.errors} of the settling operations failed`);
    await callgrindControl(server.pid, 'on');
    const counted = await run(side.amount);
    await callgrindControl(server.pid, 'off');
    await callgrindControl(server.pid, 'dump');
    if (counted.errors > 0 || counted.total !== side.amount) {
      throw new Error(`${side.label}: ${counted.errors} errors, ${counted.total} of ${side.amount} answered`);
    }
    server.dumps++;
    return readDump(server.outFile, server.dumps);
  }

  log(
    `settings: ${JSON.stringify({ requests: REQUESTS, windows: WINDOWS, warmup: WARMUP, connections: settings.connections, signIns: SIGN_INS, signInWarmup: SIGN_IN_WARMUP, pages: PAGES, pageWarmup: PAGE_WARMUP, figures: wantedSets })}`,
  );
  const database = await createDatabase(settings.adminDatabaseUrl);
  cleanups.push(() => database.drop());
  const api = await startCounted('api', async (launcher) =>
    startBuiltApi({
      port: settings.ports.api,
      databaseUrl: database.url,
      jwks: await apiSigningJwks(),
      main: API_MAIN,
      launcher,
      nodeArgs: NODE_ARGS,
      timeoutMs: START_TIMEOUT_MS,
    }),
  );
  const device = await signUp(api.url, `instructions-${Date.now()}@example.com`);
  /** A fresh access token before each authenticated window: a run under valgrind outlasts one. */
  const authHeaders = async (d: Device) => {
    const r = await graphql(api.url, REFRESH_ACCESS_TOKEN, {}, { jar: d.cookies });
    const token = (r.body.data?.['refreshAccessToken'] as { accessToken?: string } | undefined)?.accessToken;
    if (!token) throw new Error(`refresh failed: ${JSON.stringify(r.body)}`);
    d.token = token;
    return { ...JSON_POST, authorization: `Bearer ${token}`, cookie: `${FINGERPRINT_COOKIE}=${d.cookies.get(FINGERPRINT_COOKIE)}` };
  };
  /** One of the bench's servers (servers/<name>.ts) under callgrind; Yoga's unless `readyPath` says otherwise. */
  const benchSide = (name: string, port: number, env: Record<string, string> = {}, readyPath = '/graphql?query=%7B__typename%7D') =>
    startCounted(name, ([command, ...args]) =>
      startService({
        name,
        command: command!,
        args: [...args, process.execPath, ...NODE_ARGS, ...tsxArgs(`servers/${name}.ts`)],
        env: { NODE_ENV: 'production', PORT: String(port), ...env },
        url: `http://127.0.0.1:${port}`,
        readyPath,
        timeoutMs: START_TIMEOUT_MS,
      }),
    );

  /** Each side's windows, in instructions per operation. */
  const counts: Record<string, { operation: Workload['operation']; windows: { total: number; mainThread: number }[] }> = {};
  const record = (side: Workload, dump: Dump) => {
    const perOperation = { total: dump.total / side.amount, mainThread: dump.mainThread / side.amount };
    (counts[side.label] ??= { operation: side.operation, windows: [] }).windows.push(perOperation);
    log(
      `${side.label}: ${Math.round(perOperation.total).toLocaleString('en')} instructions per ${side.operation} (main thread ${Math.round(perOperation.mainThread).toLocaleString('en')})`,
    );
  };
  /** Warms a server up on each workload it will be counted on, then counts them in turn, WINDOWS times. */
  async function measure(server: Counted, sides: Workload[]) {
    for (const side of sides) {
      const warm = await (await side.ready())(side.warmup);
      if (warm.errors > 0) throw new Error(`${side.label}: ${warm.errors} of the warm-up operations failed`);
      log(`${side.label}: warmed up with ${side.warmup} operations`);
    }
    for (let w = 0; w < WINDOWS; w++) for (const side of sides) record(side, await count(server, side));
  }

  if (wanted('requests')) {
    await measure(api, [
      typename('ours anonymous', api, async () => JSON_POST),
      typename('ours authenticated', api, () => authHeaders(device)),
    ]);
  }
  // Sign-ins, after the requests: each one adds a session to the account the tokens above belong to.
  if (wanted('sign-in')) {
    await useCheapPasswordHash(database.url, device.email);
    const signInBody = JSON.stringify({ query: SIGN_IN, variables: { email: device.email, password: PASSWORD } });
    await measure(api, [signIns('ours sign-in', `${api.url}/graphql`, signInBody)]);
    if (!OURS_ONLY) {
      const designFloor = await benchSide('sign-in-design-floor', settings.ports.signInDesignFloor, { DATABASE_URL: database.url }, '/');
      await measure(designFloor, [signIns('sign-in design floor', designFloor.url, signInBody)]);
      await designFloor.stop();
      const yogaFloor = await benchSide('sign-in-yoga-floor', settings.ports.signInYogaFloor, { DATABASE_URL: database.url });
      await measure(yogaFloor, [signIns('sign-in Yoga floor', `${yogaFloor.url}/graphql`, signInBody)]);
      await yogaFloor.stop();
    }
  }
  if (wanted('page')) {
    // What the built web app asks its API for one signed-in /notes, as it writes it.
    // The capture answers in the API's place, so the reader's refresh token is not spent by it.
    const reader = await signIn(api.url, device.email);
    const pageRequest = await captureApiRequest({
      startWeb: (apiUrl) => startBuiltWeb({ apiUrl, port: settings.ports.web }),
      page: '/notes',
      cookie: cookieHeader(reader.cookies),
      port: settings.ports.capture,
    });
    await measure(api, [pageRequests('ours page request', api.url, pageRequest, [...reader.cookies])]);
    if (!OURS_ONLY) {
      // The design's API keeps its sessions in the same tables, seeded for the account (alternatives/rotation-sql.ts).
      const run = `i${Date.now().toString(36)}`;
      await seed(database.url, await firstUserId(database.url), run, 1);
      const designApi = await benchSide('design-api', settings.ports.designApi, { DATABASE_URL: database.url });
      await measure(designApi, [
        pageRequests('design API page request', designApi.url, pageRequest, [
          [REFRESH_COOKIE, `${run}.0.0`],
          [FINGERPRINT_COOKIE, `${run}:0`],
        ]),
      ]);
      await designApi.stop();
    }
  }
  if (!OURS_ONLY && wanted('requests')) {
    // One server at a time under valgrind; our API stays up, uncounted, for the token-check floor:
    // it issues the tokens that floor checks and serves the JWKS that floor verifies them with.
    for (const [name, port, label] of [
      ['bare-yoga', settings.ports.bareYoga, 'bare Yoga'],
      ['hooks-floor', settings.ports.hooksFloor, 'bare Yoga + no-op hooks'],
    ] as const) {
      const server = await benchSide(name, port);
      await measure(server, [typename(label, server, async () => JSON_POST)]);
      await server.stop();
    }
    // Yoga + plugin-jwt verifies ES256 with OpenSSL (jsonwebtoken under the plugin); its figure reads all threads.
    const es256 = await es256TokenAndKey();
    const jwt = await benchSide('yoga-jwt', settings.ports.yogaJwt, {
      JWT_PUBLIC_KEY_PEM: es256.publicKeyPem,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
    await measure(jwt, [typename('Yoga + plugin-jwt ES256', jwt, async () => ({ ...JSON_POST, authorization: `Bearer ${es256.token}` }))]);
    await jwt.stop();
    const tokenFloor = await benchSide('token-check-floor', settings.ports.tokenCheckFloor, {
      API_JWKS_URL: `${api.url}/.well-known/jwks.json`,
      FINGERPRINT_COOKIE,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
    await measure(tokenFloor, [
      typename('token-check floor anonymous', tokenFloor, async () => JSON_POST),
      typename('token-check floor authenticated', tokenFloor, () => authHeaders(device)),
    ]);
    await tokenFloor.stop();
  }

  // Instructions per operation, the median of the windows. The figures read the main thread's: it
  // runs every request's JavaScript, one after another, and bounds a side's req/s; the other
  // threads (V8's garbage collector and compilers; for sign-ins, argon2) work beside it and vary
  // with where V8's heuristics stand after the warm-up (the total column shows by how much).
  const perOperation = (label: string, key: 'total' | 'mainThread') => median(counts[label]!.windows.map((w) => w[key]));
  const spread = (label: string, key: 'total' | 'mainThread') => {
    const all = counts[label]!.windows.map((w) => w[key]);
    return (Math.max(...all) - Math.min(...all)) / median(all);
  };
  const ratio = (cheaper: string, dearer: string, key: 'total' | 'mainThread') =>
    Math.round((perOperation(cheaper, key) / perOperation(dearer, key)) * 1000) / 1000;
  /** A figure of two counted sides; none when either was not counted (BENCH_INSTRUCTIONS_ONLY, _FIGURES). */
  const figure = (
    id: string,
    title: string,
    cheaper: string,
    dearer: string,
    target: number | null,
    key: 'mainThread' | 'total' = 'mainThread',
  ) =>
    counts[cheaper] && counts[dearer]
      ? [
          {
            id,
            title,
            ratioDefinition: `${key === 'mainThread' ? 'main-thread' : 'all threads’'} instructions per ${counts[cheaper].operation}: ${cheaper} ÷ ${dearer}`,
            value: ratio(cheaper, dearer, key),
            mainThread: ratio(cheaper, dearer, 'mainThread'),
            allThreads: ratio(cheaper, dearer, 'total'),
            target,
          },
        ]
      : [];
  const figures = [
    ...figure('auth-vs-anonymous', 'authenticated ÷ anonymous (our API)', 'ours anonymous', 'ours authenticated', 0.95),
    ...(OURS_ONLY ? [] : alternativeFigures()),
  ];
  function alternativeFigures() {
    return [
      figure(
        'token-check-floor',
        'token-check floor: authenticated ÷ anonymous',
        'token-check floor anonymous',
        'token-check floor authenticated',
        null,
      ),
      figure('anonymous-vs-bare-yoga', 'our anonymous ÷ bare Yoga', 'bare Yoga', 'ours anonymous', 0.85),
      figure('hooks-floor', 'bare Yoga + our hooks doing nothing ÷ bare Yoga', 'bare Yoga', 'bare Yoga + no-op hooks', null),
      // Above 1 = ours does less work per authenticated request; the target is in req/s, ≥ 3.5.
      figure(
        'auth-vs-plugin-jwt',
        'ours authenticated ÷ Yoga + plugin-jwt (ES256)',
        'Yoga + plugin-jwt ES256',
        'ours authenticated',
        3.5,
        'total',
      ),
      // The sign-in figure's target is in time on cores that argon2 fills (figure 3): none here.
      figure('sign-in-vs-design-floor', "our sign-in ÷ the sign-in design floor's", 'sign-in design floor', 'ours sign-in', null),
      // The same work as the design floor's, answered through bare Yoga: what GraphQL Yoga costs a sign-in.
      figure(
        'sign-in-yoga-floor-vs-design-floor',
        "the sign-in Yoga floor ÷ the design floor's",
        'sign-in design floor',
        'sign-in Yoga floor',
        null,
      ),
      figure('sign-in-vs-yoga-floor', "our sign-in ÷ the sign-in Yoga floor's", 'sign-in Yoga floor', 'ours sign-in', null),
      // The SSR figure's target is in time over three processes (figure 4): none here.
      figure(
        'page-request-vs-design-api',
        "the signed-in page's request: the design's API written plainly ÷ ours",
        'design API page request',
        'ours page request',
        null,
      ),
    ].flat();
  }
  const sides = Object.fromEntries(
    Object.keys(counts).map((label) => [
      label,
      {
        operation: counts[label]!.operation,
        mainThreadPerOperation: Math.round(perOperation(label, 'mainThread')),
        mainThreadWindows: counts[label]!.windows.map((w) => Math.round(w.mainThread)),
        mainThreadSpread: Math.round(spread(label, 'mainThread') * 10000) / 10000,
        allThreadsPerOperation: Math.round(perOperation(label, 'total')),
        allThreadsWindows: counts[label]!.windows.map((w) => Math.round(w.total)),
      },
    ]),
  );
  const result = {
    machine: machine(),
    date: new Date().toISOString(),
    ...(OURS_ONLY ? { apiMain: path.relative(REPO_ROOT, API_MAIN) } : {}),
    parameters: {
      requests: REQUESTS,
      windows: WINDOWS,
      warmup: WARMUP,
      settle: SETTLE,
      connections: settings.connections,
      signIns: SIGN_INS,
      signInWarmup: SIGN_IN_WARMUP,
      signInSettle: SIGN_IN_SETTLE,
      signInConnections: SIGN_IN_CONNECTIONS,
      signInHash: `argon2id, m = ${CHEAP_HASH.memoryCost} KiB, t = ${CHEAP_HASH.timeCost}, p = ${CHEAP_HASH.parallelism}`,
      pages: PAGES,
      pageWarmup: PAGE_WARMUP,
      pageSettle: PAGE_SETTLE,
      figures: wantedSets,
      nodeArgs: NODE_ARGS,
    },
    sides,
    figures,
  };
  await writeFile(path.join(BENCH_DIR, 'results', RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
  const n = (x: number) => x.toLocaleString('en');
  const rows = [
    '| side | per | main-thread instructions (median) | its windows | spread | all threads (median) |',
    '|---|---|---|---|---|---|',
    ...Object.entries(sides).map(
      ([label, s]) =>
        `| ${label} | ${s.operation} | ${n(s.mainThreadPerOperation)} | ${s.mainThreadWindows.map(n).join(', ')} | ${(s.mainThreadSpread * 100).toFixed(2)} % | ${n(s.allThreadsPerOperation)} |`,
    ),
    '',
    '| figure | main thread, cheaper ÷ dearer | all threads | target |',
    '|---|---|---|---|',
    ...figures.map(
      (f) => `| ${f.title} | ${f.mainThread.toFixed(3)} | ${f.allThreads.toFixed(3)} | ${f.target === null ? '—' : `≥ ${f.target}`} |`,
    ),
  ];
  process.stdout.write(`${rows.join('\n')}\n`);
} finally {
  await cleanup();
}
