// `pnpm bench`: the auth design's cost against what users would pick instead, on the real processes.
//
//   built API (node apps/api/dist/main.js, NODE_ENV=production) on a fresh PostgreSQL database
//   built web app (apps/web/dist/server/main.js, NODE_ENV=production)
//   alternatives started here: bare Yoga, Yoga + plugin-jwt (ES256), raw argon2id, rotation as plain SQL,
//   and the floors (servers/*-floor*.ts)
//
// Load comes from separate processes (./load/worker.ts), loopback only. Progress on stderr, the table
// on stdout, results in bench/results/ and bench/README.md. BENCH_QUICK=1: one short round of each.
// BENCH_ONLY=requests,rotation,sign-in,ssr,storm,timing,revocation runs a subset;
// BENCH_CPU_PROF=<dir> starts the API with --cpu-prof (for profiling, not for figures); a subset
// run given a BENCH_NAME (not "summary") writes results/<name>.json only.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CSRF_HEADER, FINGERPRINT_COOKIE, REFRESH_ACCESS_TOKEN, REFRESH_COOKIE, SIGN_IN } from '@app/shared';
import { alternate, fromRounds, paired, type Measurement, type SideSummary } from './lib/alternate.js';
import { captureApiRequest, replayJob, type CapturedRequest } from './lib/capture-request.js';
import { FLOOR_COOKIE, FLOOR_FINGERPRINT_COOKIE, hasPgbench, plainSqlRotation, seed } from './alternatives/rotation-sql.js';
import { createDatabase, firstUserId, withDb } from './lib/database.js';
import { graphql, PASSWORD, signIn, signUp, type Device } from './lib/graphql-client.js';
import { apiSigningJwks, AUDIENCE, es256TokenAndKey, ISSUER } from './lib/keys.js';
import { LoadProcess } from './lib/load-process.js';
import { TYPENAME, typenameJob } from './load/jobs.js';
import { startBuiltApi } from './lib/api-process.js';
import { BENCH_DIR, REPO_ROOT, startService, tsxArgs, type Service } from './lib/processes.js';
import { startBuiltWeb } from './lib/web-process.js';
import { machine, table, writeOutputs, type Figure } from './lib/report.js';
import { log, settings } from './lib/settings.js';
import { startDesignApi, startSsrFloor } from './lib/ssr-floor.js';
import { median, round } from './lib/stats.js';
import { processCpuMs, withCpu, withCpuOf } from './lib/cpu.js';

const only = new Set((process.env['BENCH_ONLY'] ?? '').split(',').filter(Boolean));
const wanted = (id: string) => only.size === 0 || only.has(id);
const cpuProfDir = process.env['BENCH_CPU_PROF'];

const JSON_POST = { 'content-type': 'application/json', [CSRF_HEADER]: '1' };

for (const file of ['apps/api/dist/main.js', 'apps/web/dist/server/main.js', 'apps/web/.next/BUILD_ID']) {
  if (!existsSync(path.join(REPO_ROOT, file))) throw new Error(`${file} is missing: run \`pnpm build\` first`);
}

const cleanups: (() => Promise<void>)[] = [];
const cleanup = async () => {
  for (const c of cleanups.reverse()) await c().catch((e: unknown) => log(`cleanup: ${String(e)}`));
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().then(() => process.exit(130)));

const figures: Figure[] = [];
const details: Record<string, unknown> = {};

try {
  log(`settings: ${JSON.stringify(settings)}`);
  const database = await createDatabase(settings.adminDatabaseUrl);
  cleanups.push(() => database.drop());
  log(`database ${database.name} created`);

  const api = await startBuiltApi({
    port: settings.ports.api,
    databaseUrl: database.url,
    jwks: await apiSigningJwks(),
    nodeArgs: [
      '--import',
      path.join(BENCH_DIR, 'probes/event-loop-delay.mjs'),
      ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfDir)}`] : []),
    ],
    ipc: true,
    env: process.env['UV_THREADPOOL_SIZE'] ? { UV_THREADPOOL_SIZE: process.env['UV_THREADPOOL_SIZE'] } : {},
  });
  cleanups.push(() => api.stop());

  const loadA = new LoadProcess();
  const loadB = new LoadProcess();
  cleanups.push(async () => (loadA.close(), loadB.close()));

  const email = `bench-${Date.now()}@example.com`;
  const main = await signUp(api.url, email);
  const userId = await firstUserId(database.url);
  /** A fresh access token for `device` (tokens live 5 minutes; a run is longer). */
  const refreshToken = async (device: Device) => {
    const r = await graphql(api.url, REFRESH_ACCESS_TOKEN, {}, { jar: device.cookies });
    const payload = r.body.data?.['refreshAccessToken'] as { accessToken?: string } | undefined;
    if (!payload?.accessToken) throw new Error(`refresh failed: ${JSON.stringify(r.body)}`);
    device.token = payload.accessToken;
  };
  const authHeaders = (d: Device) => ({
    ...JSON_POST,
    authorization: `Bearer ${d.token}`,
    cookie: `${FINGERPRINT_COOKIE}=${d.cookies.get(FINGERPRINT_COOKIE)}`,
  });
  const fromLoad = (r: { perSecond: number; p50Ms: number; p99Ms: number; errors: number }): Measurement => ({
    perSecond: r.perSecond,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    errors: r.errors,
  });

  // ---- 1. the request path: ours (authenticated, anonymous) vs bare Yoga vs Yoga + plugin-jwt ----
  if (wanted('requests')) {
    const es256 = await es256TokenAndKey();
    // Each comparison server of this figure: servers/<name>.ts in production mode on its own port.
    const startYogaSide = async (name: string, port: number, env: Record<string, string> = {}) => {
      const side = await startService({
        name,
        command: process.execPath,
        args: tsxArgs(`servers/${name}.ts`),
        env: { NODE_ENV: 'production', PORT: String(port), ...env },
        url: `http://127.0.0.1:${port}`,
        readyPath: '/graphql?query=%7B__typename%7D',
      });
      cleanups.push(() => side.stop());
      return side;
    };
    const bare = await startYogaSide('bare-yoga', settings.ports.bareYoga);
    const jwt = await startYogaSide('yoga-jwt', settings.ports.yogaJwt, {
      JWT_PUBLIC_KEY_PEM: es256.publicKeyPem,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
    // The floor of the first figure: bare Yoga plus the least this design checks per request.
    const tokenFloor = await startYogaSide('token-check-floor', settings.ports.tokenCheckFloor, {
      API_JWKS_URL: `${api.url}/.well-known/jwks.json`,
      FINGERPRINT_COOKIE,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
    // The floor of the plugin-stack figure: bare Yoga plus our stack's hooks, each doing nothing.
    const hooksFloor = await startYogaSide('hooks-floor', settings.ports.hooksFloor);
    await expectTypename(api.url, authHeaders(main));
    await expectTypename(api.url, JSON_POST);
    await expectTypename(bare.url, JSON_POST);
    await expectTypename(jwt.url, { ...JSON_POST, authorization: `Bearer ${es256.token}` });
    await expectStatus(jwt.url, JSON_POST, 401); // plugin-jwt really refuses a request without a token
    await expectTypename(tokenFloor.url, authHeaders(main));
    await expectTypename(tokenFloor.url, JSON_POST);
    await expectTypename(hooksFloor.url, JSON_POST);
    // The floor really checks: a fingerprint that is not the token's is refused.
    await expectStatus(tokenFloor.url, { ...authHeaders(main), cookie: `${FINGERPRINT_COOKIE}=${'A'.repeat(43)}` }, 401);

    // The server's CPU per request is recorded beside its throughput (lib/cpu.ts).
    const cannon = (server: Pick<Service, 'url' | 'child'>, headers: Record<string, string>) =>
      withCpu(
        () => server.child.pid,
        async (seconds: number) => fromLoad(await loadA.run(typenameJob(server.url, headers, settings.connections, { seconds }))),
      );
    const sides = await alternate(
      'requests',
      [
        { label: 'ours authenticated', measure: async (s) => (await refreshToken(main), cannon(api, authHeaders(main))(s)) },
        { label: 'ours anonymous', measure: cannon(api, JSON_POST) },
        { label: 'bare Yoga', measure: cannon(bare, JSON_POST) },
        // Next to bare Yoga, which it is divided by: the alternation keeps neighbours next to each other.
        { label: 'bare Yoga + no-op hooks', measure: cannon(hooksFloor, JSON_POST) },
        // The same bytes as our authenticated requests (bearer token + fingerprint cookie), which
        // bare Yoga ignores: what carrying them costs HTTP parsing and the load generator alone.
        { label: 'bare Yoga, authenticated headers', measure: cannon(bare, authHeaders(main)) },
        { label: 'Yoga + plugin-jwt ES256', measure: cannon(jwt, { ...JSON_POST, authorization: `Bearer ${es256.token}` }) },
        // Our token and cookie, so that both servers see the same bytes: the token current when the
        // side runs (the first side refreshes it every round; the old one stays valid until exp).
        { label: 'token-check floor authenticated', measure: (s) => cannon(tokenFloor, authHeaders(main))(s) },
        { label: 'token-check floor anonymous', measure: cannon(tokenFloor, JSON_POST) },
      ],
      settings,
    );
    details['requests'] = sides;
    await bare.stop();
    await jwt.stop();
    await tokenFloor.stop();
    await hooksFloor.stop();
    const [auth, anon, bareS, bareHeaders, jwtS, floorAuth, floorAnon, hooksS] = [
      'ours authenticated',
      'ours anonymous',
      'bare Yoga',
      'bare Yoga, authenticated headers',
      'Yoga + plugin-jwt ES256',
      'token-check floor authenticated',
      'token-check floor anonymous',
      'bare Yoga + no-op hooks',
    ].map((l) => sides[l]!);
    // CPU an authenticated request adds above an anonymous one on the same server, per round.
    const addedCpu = (a: SideSummary, b: SideSummary) =>
      a.rounds.map((r, i) => {
        const [x, y] = [processCpuMs(r.extra), processCpuMs(b.rounds[i]!.extra)];
        return x === null || y === null ? null : x - y;
      });
    const [oursAdded, floorAdded] = [addedCpu(auth!, anon!), addedCpu(floorAuth!, floorAnon!)];
    const addedMedians =
      oursAdded.every((x) => x !== null) && floorAdded.every((x) => x !== null)
        ? { ours: median(oursAdded as number[]), floor: median(floorAdded as number[]) }
        : null;
    figures.push(
      perSecondFigure({
        id: 'auth-vs-anonymous',
        title: 'authenticated ÷ anonymous req/s (same server)',
        ratioDefinition: 'our authenticated { __typename } req/s ÷ our anonymous req/s',
        sides: [auth!, anon!],
        target: 0.95,
        errors: auth!.errors + anon!.errors,
      }),
      perSecondFigure({
        id: 'header-bytes-floor',
        title: 'bare Yoga: authenticated request bytes ÷ anonymous (the floor of the line above)',
        ratioDefinition: 'bare Yoga req/s with our authenticated requests’ headers (ignored) ÷ without them',
        sides: [bareHeaders!, bareS!],
        target: null,
        errors: bareHeaders!.errors,
      }),
      perSecondFigure({
        id: 'token-check-floor',
        title: 'token-check floor: bare Yoga + the least this design checks, authenticated ÷ anonymous (the floor of the first line)',
        ratioDefinition:
          'servers/token-check-floor.ts req/s with our authenticated requests (cached token, fingerprint SHA-256, deny-list) ÷ without a token',
        sides: [floorAuth!, floorAnon!],
        target: null,
        errors: floorAuth!.errors + floorAnon!.errors,
      }),
      perSecondFigure({
        id: 'anonymous-vs-bare-yoga',
        title: 'anonymous ÷ bare Yoga req/s (plugin stack)',
        ratioDefinition: 'our anonymous req/s ÷ bare Yoga req/s, same schema',
        sides: [anon!, bareS!],
        target: 0.85,
        errors: bareS!.errors,
      }),
      perSecondFigure({
        id: 'hooks-floor',
        title: 'bare Yoga + our stack’s hooks doing nothing ÷ bare Yoga (the floor of the line above)',
        ratioDefinition: 'servers/hooks-floor.ts req/s ÷ bare Yoga req/s: what dispatching the hooks costs before any does work',
        sides: [hooksS!, bareS!],
        target: null,
        errors: hooksS!.errors,
      }),
      // The same comparisons counted in CPU time per request (lib/cpu.ts): throughput on this shared
      // machine moves with the neighbours' load between rounds, and so does the CPU per request of a
      // saturated main thread: these lines say where the time goes, not a steadier ratio.
      cpuFigure({
        id: 'auth-vs-anonymous-cpu',
        title: 'API CPU per request: anonymous ÷ authenticated (the first line, in CPU time)',
        cheaper: anon!,
        dearer: auth!,
        unit: 'µs',
      }),
      // A difference of two CPU times is noisier than either: the ratio of the two medians over
      // rounds (a round's own ratio can divide by almost nothing), with both medians shown.
      ...(addedMedians
        ? [
            {
              id: 'auth-added-cpu-vs-floor',
              title: 'CPU an authenticated request adds, ours ÷ the token-check floor’s',
              ratioDefinition:
                'median over rounds of (our authenticated − our anonymous CPU per request) ÷ the same median on servers/token-check-floor.ts',
              value: round(addedMedians.ours / addedMedians.floor),
              target: null,
              better: 'lower' as const,
              detail: `${(addedMedians.ours * 1000).toFixed(1)} µs / ${(addedMedians.floor * 1000).toFixed(1)} µs per request`,
            },
          ]
        : []),
      cpuFigure({
        id: 'anonymous-vs-bare-yoga-cpu',
        title: 'CPU per request: bare Yoga ÷ our anonymous (the plugin stack, in CPU time)',
        cheaper: bareS!,
        dearer: anon!,
        unit: 'µs',
      }),
      perSecondFigure({
        id: 'auth-vs-plugin-jwt',
        title: 'authenticated ÷ Yoga + plugin-jwt (ES256) req/s',
        ratioDefinition: 'OUR authenticated req/s ÷ THEIR authenticated req/s; above 1 = ours serves more',
        sides: [auth!, jwtS!],
        target: 3.5,
        errors: jwtS!.errors,
      }),
    );
  }

  // The floors (servers/*-floor.ts: node:http + pg, or bare Yoga for the sign-in Yoga floor; nothing
  // of ours), each started once when first needed: the rotation's for the rotation and SSR figures,
  // the sign-in HTTP floor, the sign-in design floor and the sign-in Yoga floor for sign-in.
  const floors = new Map<string, Promise<Service>>();
  const startFloor = (name: 'rotation-floor' | 'sign-in-floor' | 'sign-in-design-floor' | 'sign-in-yoga-floor', port: number) => {
    let floor = floors.get(name);
    if (!floor) {
      floor = startService({
        name,
        command: process.execPath,
        args: tsxArgs(`servers/${name}.ts`),
        env: { NODE_ENV: 'production', PORT: String(port), DATABASE_URL: database.url },
        url: `http://127.0.0.1:${port}`,
        readyPath: '/',
      }).then((started) => (cleanups.push(() => started.stop()), started));
      floors.set(name, floor);
    }
    return floor;
  };
  const rotationFloor = () => startFloor('rotation-floor', settings.ports.rotationFloor);
  const signInFloor = () => startFloor('sign-in-floor', settings.ports.signInFloor);
  const signInDesignFloor = () => startFloor('sign-in-design-floor', settings.ports.signInDesignFloor);
  const signInYogaFloor = () => startFloor('sign-in-yoga-floor', settings.ports.signInYogaFloor);

  // ---- 2. refresh-token rotation: the API (16 sessions) vs the same SQL from 16 clients ----
  if (wanted('rotation')) {
    const driver = process.env['BENCH_ROTATION_DRIVER'] === 'pg' || !(await hasPgbench()) ? 'pg' : 'pgbench';
    const floor = await rotationFloor();
    const sides = await alternate(
      'rotation',
      [
        {
          label: 'API refreshAccessToken',
          measure: async (seconds) => {
            // Fresh sessions each round: a rotation cut off at the end of a round would look like reuse next time.
            const devices = await inBatches(settings.rotationSessions, 4, () => signIn(api.url, email));
            const r = await loadA.run({
              kind: 'rotation',
              url: `${api.url}/graphql`,
              sessions: devices.map((d) => [...d.cookies]),
              seconds,
            });
            return fromLoad(r);
          },
        },
        {
          label: 'HTTP floor (node:http + pg, same SQL)',
          measure: async (seconds) => {
            const runId = `f${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
            await seed(database.url, userId, runId, settings.rotationSessions);
            const r = await loadA.run({
              kind: 'rotation',
              url: floor.url,
              sessions: Array.from({ length: settings.rotationSessions }, (_, c) => [[FLOOR_COOKIE, `${runId}.${c}.0`]]),
              seconds,
            });
            return fromLoad(r);
          },
        },
        {
          label: `plain SQL (${driver})`,
          measure: async (seconds) => {
            const r = await plainSqlRotation({ databaseUrl: database.url, userId, clients: settings.rotationSessions, seconds, driver });
            return { perSecond: r.perSecond, p50Ms: Number.NaN, p99Ms: Number.NaN, errors: r.errors };
          },
        },
      ],
      settings,
    );
    details['rotation'] = sides;
    const [ours, httpFloor, sql] = Object.values(sides);
    figures.push({
      id: 'rotation-floor-vs-plain-sql',
      title: `HTTP floor rotations/s ÷ plain SQL (${driver}): what any HTTP server pays here`,
      ratioDefinition: 'node:http + pg running the same SQL per request ÷ the SQL alone; the best ratio an HTTP rotation can reach here',
      ...paired(httpFloor!, sql!, 'perSecond'),
      target: null,
      better: 'higher',
      detail: `${httpFloor!.medianPerSecond.toFixed(0)} / ${sql!.medianPerSecond.toFixed(0)} per s, errors ${httpFloor!.errors}/${sql!.errors}`,
      errors: httpFloor!.errors,
    });
    figures.push({
      id: 'rotation-vs-http-floor',
      title: 'rotations/s ÷ HTTP floor (our stack’s own cost)',
      ratioDefinition: 'API refresh rotations/s ÷ node:http + pg running the plain-SQL rotation per request',
      ...paired(ours!, httpFloor!, 'perSecond'),
      target: null,
      better: 'higher',
      detail: `${ours!.medianPerSecond.toFixed(0)} / ${httpFloor!.medianPerSecond.toFixed(0)} per s`,
      errors: ours!.errors,
    });
    figures.push({
      id: 'rotation-vs-plain-sql',
      title: `rotations/s ÷ plain SQL (${driver}), ${settings.rotationSessions} sessions`,
      ratioDefinition: 'API refresh rotations/s ÷ the same rotation as plain SQL/s',
      ...paired(ours!, sql!, 'perSecond'),
      target: 0.3,
      better: 'higher',
      detail: `${ours!.medianPerSecond.toFixed(0)} / ${sql!.medianPerSecond.toFixed(0)} per s, errors ${ours!.errors}/${sql!.errors}`,
      errors: ours!.errors + sql!.errors,
    });
  }

  // ---- 3. sign-in vs raw argon2id (same hash, same parameters, same concurrency) ----
  const signInBody = JSON.stringify({ query: SIGN_IN, variables: { email, password: PASSWORD } });
  if (wanted('sign-in')) {
    const hash = await passwordHash(database.url, userId);
    const floor = await signInFloor();
    const designFloor = await signInDesignFloor();
    const yogaFloor = await signInYogaFloor();
    // Each side signs in for real before it is timed: an answer with a token and its cookies (a
    // GraphQL error comes back as HTTP 200, which the load would count as a success). The HTTP
    // floor sets one cookie, the others the design's two.
    for (const [url, cookies] of [
      [`${api.url}/graphql`, 2],
      [floor.url, 1],
      [designFloor.url, 2],
      [`${yogaFloor.url}/graphql`, 2],
    ] as const) {
      await expectSignedIn(url, signInBody, cookies);
    }
    // The same sign-in body, as many at once, against either server; its CPU read from /proc.
    const signIns = (label: string, server: { pid?: number | undefined }, url: string) => ({
      label,
      measure: withCpu(
        () => server.pid,
        async (seconds: number) =>
          fromLoad(
            await loadA.run({
              kind: 'autocannon',
              url,
              method: 'POST',
              headers: JSON_POST,
              body: signInBody,
              connections: settings.signInConcurrency,
              seconds,
            }),
          ),
      ),
    });
    // Sign-ins take ~100 ms each: a longer window so that the requests cut off at its end weigh little.
    const sides = await alternate(
      'sign-in',
      [
        signIns('API signIn', api.child, `${api.url}/graphql`),
        signIns('HTTP floor (node:http + pg + argon2)', floor.child, floor.url),
        signIns("this design's floor (the HTTP floor + its budgets, gate, fingerprint, token)", designFloor.child, designFloor.url),
        signIns("this design's floor as a bare Yoga mutation", yogaFloor.child, `${yogaFloor.url}/graphql`),
        { label: 'raw argon2id verify', measure: async (seconds) => rawArgon2(hash, settings.signInConcurrency, seconds) },
      ],
      { ...settings, seconds: Math.max(settings.seconds, settings.quick ? 1 : 5) },
    );
    details['signIn'] = sides;
    const [ours, httpFloor, ownFloor, yogaOwnFloor, raw] = Object.values(sides);
    figures.push({
      id: 'sign-in-floor-vs-argon2',
      title: `sign-in HTTP floor ÷ raw argon2id verifies/s: what any HTTP sign-in pays here`,
      ratioDefinition:
        'node:http + pg + argon2 (account read, verify, session insert per request) sign-ins/s ÷ raw argon2id verifications/s; the best ratio an HTTP sign-in can reach here',
      ...paired(httpFloor!, raw!, 'perSecond'),
      target: null,
      better: 'higher',
      detail: `${httpFloor!.medianPerSecond.toFixed(1)} / ${raw!.medianPerSecond.toFixed(1)} per s`,
      errors: httpFloor!.errors,
    });
    figures.push({
      id: 'sign-in-vs-floor',
      title: 'sign-ins/s ÷ sign-in HTTP floor (our stack’s own cost)',
      ratioDefinition: 'API sign-ins/s ÷ node:http + pg + argon2 sign-ins/s',
      ...paired(ours!, httpFloor!, 'perSecond'),
      target: null,
      better: 'higher',
      detail: `${ours!.medianPerSecond.toFixed(1)} / ${httpFloor!.medianPerSecond.toFixed(1)} per s`,
      errors: ours!.errors,
    });
    figures.push({
      id: 'sign-in-design-floor-vs-argon2',
      title: `sign-in design floor ÷ raw argon2id verifies/s: the best this design's sign-in reaches here`,
      ratioDefinition:
        'servers/sign-in-design-floor.ts (the HTTP floor + two rate-limit budgets in PostgreSQL, the argon2 gate, a fingerprint, an Ed25519 access token) sign-ins/s ÷ raw argon2id verifications/s',
      ...paired(ownFloor!, raw!, 'perSecond'),
      target: null,
      better: 'higher',
      detail: `${ownFloor!.medianPerSecond.toFixed(1)} / ${raw!.medianPerSecond.toFixed(1)} per s`,
      errors: ownFloor!.errors,
    });
    figures.push({
      id: 'sign-in-vs-design-floor',
      title: 'sign-ins/s ÷ sign-in design floor (our implementation’s own cost)',
      ratioDefinition: 'API sign-ins/s ÷ servers/sign-in-design-floor.ts sign-ins/s',
      ...paired(ours!, ownFloor!, 'perSecond'),
      target: null,
      better: 'higher',
      detail: `${ours!.medianPerSecond.toFixed(1)} / ${ownFloor!.medianPerSecond.toFixed(1)} per s`,
      errors: ours!.errors,
    });
    figures.push({
      id: 'sign-in-yoga-floor-vs-argon2',
      title: `sign-in Yoga floor ÷ raw argon2id verifies/s: the best this design's sign-in reaches here through GraphQL Yoga`,
      ratioDefinition:
        "servers/sign-in-yoga-floor.ts (the design floor's work as a bare Yoga `signIn` mutation answering the API's SignIn document) sign-ins/s ÷ raw argon2id verifications/s",
      ...paired(yogaOwnFloor!, raw!, 'perSecond'),
      target: null,
      better: 'higher',
      detail: `${yogaOwnFloor!.medianPerSecond.toFixed(1)} / ${raw!.medianPerSecond.toFixed(1)} per s`,
      errors: yogaOwnFloor!.errors,
    });
    figures.push({
      id: 'sign-in-yoga-floor-vs-design-floor',
      title: 'sign-in Yoga floor ÷ sign-in design floor (what answering through GraphQL Yoga costs)',
      ratioDefinition: 'servers/sign-in-yoga-floor.ts sign-ins/s ÷ servers/sign-in-design-floor.ts sign-ins/s: the same work and answer',
      ...paired(yogaOwnFloor!, ownFloor!, 'perSecond'),
      target: null,
      better: 'higher',
      detail: `${yogaOwnFloor!.medianPerSecond.toFixed(1)} / ${ownFloor!.medianPerSecond.toFixed(1)} per s`,
      errors: yogaOwnFloor!.errors + ownFloor!.errors,
    });
    figures.push({
      id: 'sign-in-vs-yoga-floor',
      title: 'sign-ins/s ÷ sign-in Yoga floor (our own layer: plugins, input rules, token tag, replaced-session check, audit line)',
      ratioDefinition: 'API sign-ins/s ÷ servers/sign-in-yoga-floor.ts sign-ins/s',
      ...paired(ours!, yogaOwnFloor!, 'perSecond'),
      target: null,
      better: 'higher',
      detail: `${ours!.medianPerSecond.toFixed(1)} / ${yogaOwnFloor!.medianPerSecond.toFixed(1)} per s`,
      errors: ours!.errors + yogaOwnFloor!.errors,
    });
    figures.push({
      id: 'sign-in-vs-argon2',
      title: `sign-ins/s ÷ raw argon2id verifies/s (${settings.signInConcurrency} at once)`,
      ratioDefinition: 'API sign-ins/s ÷ raw argon2id verifications/s',
      ...paired(ours!, raw!, 'perSecond'),
      target: 0.9,
      better: 'higher',
      detail: `${ours!.medianPerSecond.toFixed(1)} / ${raw!.medianPerSecond.toFixed(1)} per s`,
      errors: ours!.errors,
    });
    // Where a sign-in's CPU goes: argon2 runs on the server's other threads (with V8's GC), the rest
    // of the request on its main thread, the statements in PostgreSQL. On a machine whose cores are
    // all busy, sign-ins/s ÷ argon2/s cannot exceed argon2's share of all that: the API's ceiling,
    // and the HTTP floor's beside it.
    const argon2Ms = processCpuMs(raw!.extra);
    const shares = [
      { id: 'sign-in-cpu-share', side: ours!, what: 'a sign-in takes', whose: 'API' },
      { id: 'sign-in-floor-cpu-share', side: httpFloor!, what: 'an HTTP floor sign-in takes', whose: 'floor' },
      { id: 'sign-in-design-floor-cpu-share', side: ownFloor!, what: 'a design floor sign-in takes', whose: 'design floor' },
      { id: 'sign-in-yoga-floor-cpu-share', side: yogaOwnFloor!, what: 'a Yoga floor sign-in takes', whose: 'Yoga floor' },
    ];
    for (const { id, side, what, whose } of shares) {
      const cpu = side.extra;
      if (cpu?.['cpuMainMs'] === undefined || argon2Ms === null) continue;
      const total = cpu['cpuMainMs'] + cpu['cpuOtherThreadsMs']! + cpu['cpuPostgresMs']!;
      figures.push({
        id,
        title: `sign-in: raw argon2id CPU ÷ all the CPU ${what} (its ceiling on a busy machine)`,
        ratioDefinition: `CPU ms of one raw argon2id verify ÷ CPU ms per ${whose} sign-in (its threads + PostgreSQL)`,
        value: round(argon2Ms / total),
        target: null,
        better: 'higher',
        detail: `${argon2Ms.toFixed(1)} ms / ${total.toFixed(1)} ms (${whose} main thread ${cpu['cpuMainMs'].toFixed(1)}, other threads ${cpu['cpuOtherThreadsMs']!.toFixed(1)}, PostgreSQL ${cpu['cpuPostgresMs']!.toFixed(1)})`,
      });
    }
  }

  // ---- 4. server-side rendering: a signed-in page vs the anonymous sign-in page ----
  let web: Service | undefined;
  if (wanted('ssr')) {
    const startWeb = (apiUrl: string, port: number = settings.ports.web, name = 'web') => startBuiltWeb({ apiUrl, port, name });
    // The request our /notes sends the API, as the built web app writes it (lib/capture-request.ts):
    // sent on its own below, it splits the signed-in page's time into the API's answer and the rest.
    const pageRequest = await captureApiRequest({
      startWeb,
      page: '/notes',
      cookie: [...(await signIn(api.url, email)).cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      port: settings.ports.capture,
    });
    web = await startWeb(api.url);
    cleanups.push(() => web!.stop());
    const reader = await signIn(api.url, email);
    /** A signed-in page, one at a time, each request carrying the cookies the last answer set. */
    const signedInPage = (url: string, cookies: [string, string][]) => {
      let jar = cookies;
      return async (seconds: number) => {
        const r = await loadA.run({ kind: 'sequential', url, cookies: jar, seconds, expectStatus: 200 });
        jar = r.cookies![0]!;
        return fromLoad(r);
      };
    };
    let apiAloneJar: [string, string][] = [...(await signIn(api.url, email)).cookies];
    // The floor of a signed-in page: every signed-in render rotates the refresh token once (the
    // product's SSR exchange), so no page can answer before one rotation's round trip through the
    // thinnest HTTP server doing the same SQL, one at a time like the pages.
    const floor = await rotationFloor();
    const floorRun = `s${Date.now().toString(36)}`;
    await seed(database.url, userId, floorRun, 1);
    let floorJar: [string, string][] = [[FLOOR_COOKIE, `${floorRun}.0.0`]];
    // The thinnest Next + Yoga app doing a signed-in page's work (lib/ssr-floor.ts).
    const stackRuns = [0, 1, 2, 3, 4, 5].map((i) => `t${i}${Date.now().toString(36)}`);
    for (const run of stackRuns) await seed(database.url, userId, run, 1);
    const [captureRun, stackRun, stackAloneRun, stackApolloRun, stackDesignRun, ourPageRun] = stackRuns as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const stack = await startSsrFloor({
      databaseUrl: database.url,
      apiPort: settings.ports.ssrFloorApi,
      webPort: settings.ports.ssrFloorWeb,
      capture: { port: settings.ports.capture, cookie: `${FLOOR_COOKIE}=${captureRun}.0.0` },
    });
    cleanups.push(
      () => stack.api.stop(),
      () => stack.web.stop(),
    );
    // Our web app once more, in front of this design's refresh written plainly under our API's names
    // (servers/design-api.ts): the signed-in page's gap above the design floor, split into what our
    // API adds and what our page adds.
    const designApi = await startDesignApi({ databaseUrl: database.url, port: settings.ports.designApi });
    cleanups.push(() => designApi.stop());
    const webOnDesign = await startWeb(designApi.url, settings.ports.webOnDesignApi, 'web-on-design-api');
    cleanups.push(() => webOnDesign.stop());
    const onDesignCpu = { web: () => webOnDesign.child.pid, api: () => designApi.child.pid };
    let stackAloneJar: [string, string][] = [[FLOOR_COOKIE, `${stackAloneRun}.0.0`]];
    // A signed-in page runs through the web server, the API and PostgreSQL one after the other:
    // each one's CPU per page (lib/cpu.ts) says where the page's time goes.
    const oursCpu = { web: () => web!.child.pid, api: () => api.child.pid };
    const thinCpu = { web: () => stack.web.child.pid, api: () => stack.api.child.pid };
    /** A page's request to its API sent alone, one at a time: the API's answer without the web server. */
    const apiAlone = async (url: string, request: CapturedRequest, cookies: [string, string][], seconds: number) => {
      const r = await loadA.run(replayJob(request, url, cookies, { seconds }));
      // A refused refresh also answers 200 (with an error): only a rotated cookie shows it worked.
      if (JSON.stringify(r.cookies![0]) === JSON.stringify(cookies)) throw new Error(`${url}: the page's request rotated nothing`);
      return r;
    };
    const sides = await alternate(
      'ssr',
      [
        {
          label: 'signed-in /notes',
          measure: withCpuOf(oursCpu, signedInPage(`${web!.url}/notes`, [...reader.cookies])),
        },
        {
          label: 'anonymous /signin',
          measure: withCpuOf(oursCpu, async (seconds) =>
            fromLoad(await loadA.run({ kind: 'sequential', url: `${web!.url}/signin`, seconds, expectStatus: 200 })),
          ),
        },
        {
          label: "our API alone: /notes's request to it",
          measure: async (seconds) => {
            const r = await apiAlone(api.url, pageRequest, apiAloneJar, seconds);
            apiAloneJar = r.cookies![0]!;
            return fromLoad(r);
          },
        },
        {
          label: 'one rotation through the HTTP floor',
          measure: async (seconds) => {
            const r = await loadA.run({
              kind: 'sequential',
              method: 'POST',
              url: floor.url,
              cookies: floorJar,
              seconds,
              expectStatus: 200,
            });
            floorJar = r.cookies![0]!;
            return fromLoad(r);
          },
        },
        {
          label: 'thinnest app: signed-in page (Next + Yoga, one statement)',
          measure: withCpuOf(thinCpu, signedInPage(`${stack.web.url}/notes`, [[FLOOR_COOKIE, `${stackRun}.0.0`]])),
        },
        {
          label: "thinnest app: signed-in page with Apollo's hand-over",
          measure: withCpuOf(thinCpu, signedInPage(`${stack.web.url}/notes-apollo`, [[FLOOR_COOKIE, `${stackApolloRun}.0.0`]])),
        },
        {
          label: "thinnest app: signed-in page with this design's exchange and Apollo's hand-over",
          measure: withCpuOf(
            thinCpu,
            // The design's exchange also wants the session's fingerprint cookie (seed: `<run>:<client>`).
            signedInPage(`${stack.web.url}/notes-design`, [
              [FLOOR_COOKIE, `${stackDesignRun}.0.0`],
              [FLOOR_FINGERPRINT_COOKIE, `${stackDesignRun}:0`],
            ]),
          ),
        },
        {
          label: 'thinnest app: anonymous page',
          measure: withCpuOf(thinCpu, async (seconds) =>
            fromLoad(await loadA.run({ kind: 'sequential', url: `${stack.web.url}/signin`, seconds, expectStatus: 200 })),
          ),
        },
        {
          label: "our web app in front of this design's API written plainly: signed-in /notes",
          measure: withCpuOf(
            onDesignCpu,
            signedInPage(`${webOnDesign.url}/notes`, [
              [REFRESH_COOKIE, `${ourPageRun}.0.0`],
              [FINGERPRINT_COOKIE, `${ourPageRun}:0`],
            ]),
          ),
        },
        {
          // Its own anonymous page: a second process of the same build need not run at the first's
          // speed (in the twenty-eighth pass's runs it did not), so its ratio is formed within it.
          label: "our web app in front of this design's API written plainly: anonymous /signin",
          measure: withCpuOf(onDesignCpu, async (seconds) =>
            fromLoad(await loadA.run({ kind: 'sequential', url: `${webOnDesign.url}/signin`, seconds, expectStatus: 200 })),
          ),
        },
        {
          label: "thinnest app's API alone: its page's request to it",
          measure: async (seconds) => {
            const r = await apiAlone(stack.api.url, stack.pageRequest, stackAloneJar, seconds);
            stackAloneJar = r.cookies![0]!;
            return fromLoad(r);
          },
        },
      ],
      settings,
    );
    details['ssr'] = sides;
    const [
      auth,
      anon,
      oursApiAlone,
      rotation,
      thinSigned,
      thinApollo,
      thinDesign,
      thinAnon,
      ourPageOnDesign,
      ourAnonOnDesign,
      thinApiAlone,
    ] = Object.values(sides);
    figures.push({
      id: 'ssr-ttfb',
      title: 'signed-in ÷ anonymous SSR TTFB (next start)',
      ratioDefinition: 'median TTFB of signed-in /notes ÷ median TTFB of anonymous /signin',
      ...paired(auth!, anon!, 'p50Ms'),
      target: 2.5,
      better: 'lower',
      detail: `${auth!.medianP50Ms.toFixed(1)} ms / ${anon!.medianP50Ms.toFixed(1)} ms`,
      errors: auth!.errors + anon!.errors,
    });
    figures.push({
      id: 'ssr-ttfb-floor',
      title: 'SSR floor: (anonymous TTFB + one rotation through the HTTP floor) ÷ anonymous TTFB',
      ratioDefinition:
        'per round, (median TTFB of anonymous /signin + median latency of one plain-SQL rotation through node:http + pg) ÷ median TTFB of anonymous /signin: the lowest ssr-ttfb any server that rotates once per signed-in page can reach here',
      ...fromRounds(anon!.rounds.map((a, i) => (a.p50Ms + rotation!.rounds[i]!.p50Ms) / a.p50Ms)),
      target: null,
      better: 'lower',
      detail: `(${anon!.medianP50Ms.toFixed(1)} + ${rotation!.medianP50Ms.toFixed(1)}) ms / ${anon!.medianP50Ms.toFixed(1)} ms`,
      errors: rotation!.errors,
    });
    // What a thinnest-app page adds above its anonymous page, added to our anonymous page: the
    // lowest ssr-ttfb that page's kind of work can reach here, paired round by round.
    const onOurAnonymousPage = (id: string, title: string, ratioDefinition: string, signed: SideSummary) =>
      figures.push({
        id,
        title,
        ratioDefinition,
        ...fromRounds(anon!.rounds.map((a, i) => (a.p50Ms + signed.rounds[i]!.p50Ms - thinAnon!.rounds[i]!.p50Ms) / a.p50Ms)),
        target: null,
        better: 'lower',
        detail: `(${anon!.medianP50Ms.toFixed(1)} + ${signed.medianP50Ms.toFixed(1)} − ${thinAnon!.medianP50Ms.toFixed(1)}) ms / ${anon!.medianP50Ms.toFixed(1)} ms`,
        errors: signed.errors + thinAnon!.errors,
      });
    onOurAnonymousPage(
      'ssr-ttfb-stack-floor',
      'SSR stack floor: (anonymous TTFB + what a signed-in page adds in the thinnest Next + Yoga app) ÷ anonymous TTFB',
      "per round, (median TTFB of anonymous /signin + median TTFB of the thinnest app's signed-in page − median TTFB of its anonymous page) ÷ median TTFB of anonymous /signin: the lowest ssr-ttfb this stack (Next.js calling a Yoga API that rotates the token and reads the page's data in one SQL statement) can reach here, on our anonymous page",
      thinSigned!,
    );
    onOurAnonymousPage(
      'ssr-ttfb-stack-floor-apollo',
      "SSR stack floor with Apollo's hand-over: the same, the thinnest app's signed-in page handing its data over in an Apollo cache",
      "per round, (median TTFB of anonymous /signin + median TTFB of the thinnest app's /notes-apollo − median TTFB of its anonymous page) ÷ median TTFB of anonymous /signin: the lowest ssr-ttfb of this stack with the Apollo hand-over the product prescribes for signed-in pages",
      thinApollo!,
    );
    onOurAnonymousPage(
      'ssr-ttfb-design-floor',
      "SSR design floor: the same, the thinnest app's page with this design's exchange (three statements, fingerprint, sealed successor) and Apollo's hand-over",
      "per round, (median TTFB of anonymous /signin + median TTFB of the thinnest app's /notes-design − median TTFB of its anonymous page) ÷ median TTFB of anonymous /signin: the lowest ssr-ttfb of this design on this stack, written plainly",
      thinDesign!,
    );
    figures.push({
      id: 'ssr-ttfb-our-page-design-api',
      title: "our web app in front of this design's refresh written plainly: its signed-in ÷ its anonymous SSR TTFB",
      ratioDefinition:
        "median TTFB of the built web app's signed-in /notes ÷ its anonymous /signin, a second process of it in front of servers/design-api.ts: ssr-ttfb with our page and the least API this design needs. Ours above it is our API's; it above the design floor is our page's",
      ...paired(ourPageOnDesign!, ourAnonOnDesign!, 'p50Ms'),
      target: null,
      better: 'lower',
      detail: `${ourPageOnDesign!.medianP50Ms.toFixed(1)} ms / ${ourAnonOnDesign!.medianP50Ms.toFixed(1)} ms`,
      errors: ourPageOnDesign!.errors + ourAnonOnDesign!.errors,
    });
    figures.push({
      id: 'ssr-ttfb-thinnest',
      title: 'the thinnest Next + Yoga app: its signed-in ÷ its anonymous TTFB',
      ratioDefinition: 'median TTFB of servers/ssr-floor-web /notes ÷ median TTFB of its /signin',
      ...paired(thinSigned!, thinAnon!, 'p50Ms'),
      target: null,
      better: 'lower',
      detail: `${thinSigned!.medianP50Ms.toFixed(1)} ms / ${thinAnon!.medianP50Ms.toFixed(1)} ms`,
      errors: thinSigned!.errors + thinAnon!.errors,
    });
    figures.push({
      id: 'ssr-api-alone',
      title: "our API's answer to a signed-in page's request ÷ the thinnest app's API's (sent alone, TTFB)",
      ratioDefinition:
        "median TTFB of the request our /notes sends the API, sent alone one at a time ÷ the same for the thinnest app's /notes and its API (each captured from its web server, lib/capture-request.ts)",
      ...paired(oursApiAlone!, thinApiAlone!, 'p50Ms'),
      target: null,
      better: 'lower',
      detail: `${oursApiAlone!.medianP50Ms.toFixed(1)} ms / ${thinApiAlone!.medianP50Ms.toFixed(1)} ms`,
      errors: oursApiAlone!.errors + thinApiAlone!.errors,
    });
    // What a signed-in page adds, in CPU time per page: the web server above its own anonymous page,
    // the API and PostgreSQL (the anonymous pages use neither); ours ÷ the thinnest app's, per round.
    const added = (signed: Measurement, anonymous: Measurement) => {
      const [s, a] = [signed.extra, anonymous.extra];
      if (s?.['cpuWebMainMs'] === undefined || a?.['cpuWebMainMs'] === undefined) return null;
      const web = s['cpuWebMainMs'] - a['cpuWebMainMs'];
      return { web, api: s['cpuApiMainMs']!, postgres: s['cpuPostgresMs']!, total: web + s['cpuApiMainMs']! + s['cpuPostgresMs']! };
    };
    const addedRounds = auth!.rounds.map(
      (r, i) =>
        [
          added(r, anon!.rounds[i]!),
          added(thinSigned!.rounds[i]!, thinAnon!.rounds[i]!),
          added(thinApollo!.rounds[i]!, thinAnon!.rounds[i]!),
          added(thinDesign!.rounds[i]!, thinAnon!.rounds[i]!),
          added(ourPageOnDesign!.rounds[i]!, ourAnonOnDesign!.rounds[i]!),
        ] as const,
    );
    if (addedRounds.every((sides) => sides.every(Boolean))) {
      type Which = 0 | 1 | 2 | 3 | 4;
      const medianOf = (pick: (x: NonNullable<ReturnType<typeof added>>) => number, which: Which) =>
        median(addedRounds.map((pair) => pick(pair[which]!)));
      const part = (name: string, pick: (x: NonNullable<ReturnType<typeof added>>) => number) =>
        `${name} ${medianOf(pick, 0).toFixed(2)} / ${medianOf(pick, 1).toFixed(2)}`;
      figures.push({
        id: 'ssr-added-cpu',
        title: 'CPU a signed-in page adds (web server above its anonymous page + API + PostgreSQL), ours ÷ the thinnest app’s',
        ratioDefinition:
          "per round, main-thread CPU ms per page: (web server's on signed-in /notes − on anonymous /signin) + the API's + PostgreSQL's, ours ÷ the thinnest app's (lib/cpu.ts)",
        ...fromRounds(addedRounds.map(([o, t]) => o!.total / t!.total)),
        target: null,
        better: 'lower',
        detail: `ms per page, ours / thinnest: ${part('web server', (x) => x.web)}, ${part('API', (x) => x.api)}, ${part('PostgreSQL', (x) => x.postgres)}`,
      });
      // The same with Apollo's hand-over in the thinnest page: what the prescribed hand-over costs
      // the web server, and what of ours is left above it.
      const web = (which: Which) => medianOf((x) => x.web, which).toFixed(2);
      figures.push({
        id: 'ssr-added-cpu-apollo',
        title: "CPU a signed-in page adds, ours ÷ the thinnest app's with Apollo's hand-over",
        ratioDefinition:
          "as ssr-added-cpu, against the thinnest app's /notes-apollo: ours ÷ the least a signed-in page with the prescribed Apollo hand-over adds here",
        ...fromRounds(addedRounds.map(([o, , a]) => o!.total / a!.total)),
        target: null,
        better: 'lower',
        detail: `web server ms per page above its anonymous page: ours ${web(0)}, thinnest with Apollo's hand-over ${web(2)}, thinnest ${web(1)}`,
      });
      // And against this design's exchange written plainly: what of ours is neither the design nor the stack.
      const parts = (which: 0 | 3 | 4) =>
        `web server ${web(which)}, API ${medianOf((x) => x.api, which).toFixed(2)}, PostgreSQL ${medianOf((x) => x.postgres, which).toFixed(2)}`;
      figures.push({
        id: 'ssr-added-cpu-design',
        title: "CPU a signed-in page adds, ours ÷ the thinnest app's with this design's exchange and Apollo's hand-over",
        ratioDefinition:
          "as ssr-added-cpu, against the thinnest app's /notes-design: ours ÷ the least a signed-in page of this design adds here",
        ...fromRounds(addedRounds.map(([o, , , d]) => o!.total / d!.total)),
        target: null,
        better: 'lower',
        detail: `ms per page, ours: ${parts(0)}; design floor: ${parts(3)}`,
      });
      // And against our own page in front of the design's API: the same web build on both sides, so
      // what is left is our API's (and PostgreSQL's) above the least this design asks of an API.
      figures.push({
        id: 'ssr-added-cpu-our-page-design-api',
        title: "CPU a signed-in page adds, ours ÷ our web app's in front of this design's refresh written plainly",
        ratioDefinition:
          'as ssr-added-cpu, against the built web app (a second process, its web server above its own anonymous page) in front of servers/design-api.ts: ours ÷ our page with the least API this design needs',
        ...fromRounds(addedRounds.map(([o, , , , p]) => o!.total / p!.total)),
        target: null,
        better: 'lower',
        detail: `ms per page, ours: ${parts(0)}; our page on the design's API: ${parts(4)}`,
      });
    }
    await Promise.all([web.stop(), stack.web.stop()]);
    await stack.api.stop();
  }

  // ---- 5. authenticated latency during a 50-way sign-in storm vs idle ----
  if (wanted('storm')) {
    const probe = await signIn(api.url, email);
    const probeRate = 200; // requests per second: latency under steady load, not a saturation test
    const measureProbe = async (seconds: number, storm: boolean): Promise<Measurement> => {
      await refreshToken(probe);
      api.child.send({ probe: 'event-loop-reset' });
      const probing = loadA.run(typenameJob(api.url, authHeaders(probe), settings.probeConnections, { seconds, rate: probeRate }));
      const storming = storm
        ? loadB.run({
            kind: 'autocannon',
            url: `${api.url}/graphql`,
            method: 'POST',
            headers: JSON_POST,
            body: signInBody,
            connections: settings.stormConcurrency,
            seconds,
          })
        : undefined;
      const [p, s] = await Promise.all([probing, storming]);
      const loop = await eventLoopDelay(api);
      return { ...fromLoad(p), extra: { eventLoopP99Ms: loop.p99Ms, signInsPerSecond: s?.perSecond ?? 0, stormErrors: s?.errors ?? 0 } };
    };
    const sides = await alternate(
      'storm',
      [
        { label: 'idle', measure: (s) => measureProbe(s, false) },
        { label: 'sign-in storm', measure: (s) => measureProbe(s, true) },
      ],
      // The probe runs at a fixed rate through code the earlier figures have warmed: a time-based warm-up.
      { ...settings, warmupOperations: 0 },
    );
    details['storm'] = sides;
    const [idle, storm] = Object.values(sides);
    figures.push({
      id: 'storm-p99',
      title: `authenticated p99 during a ${settings.stormConcurrency}-way sign-in storm ÷ idle p99`,
      ratioDefinition: 'p99 latency of authenticated requests (200 req/s) during the storm ÷ the same when idle',
      ...paired(storm!, idle!, 'p99Ms'),
      target: 3,
      better: 'lower',
      detail: `${storm!.medianP99Ms.toFixed(1)} ms / ${idle!.medianP99Ms.toFixed(1)} ms; event-loop delay p99 ${storm!.extra!['eventLoopP99Ms']!.toFixed(1)} / ${idle!.extra!['eventLoopP99Ms']!.toFixed(1)} ms; ${storm!.extra!['signInsPerSecond']!.toFixed(1)} sign-ins/s`,
      errors: storm!.errors + idle!.errors,
    });
  }

  // ---- 6. T41: does sign-in time reveal whether an e-mail has an account? ----
  if (wanted('timing')) {
    const count = settings.quick ? 3 : 15;
    const attempt = (address: string) => async () => {
      const body = JSON.stringify({ query: SIGN_IN, variables: { email: address, password: 'definitely the wrong password' } });
      const r = await loadA.run({
        kind: 'sequential',
        url: `${api.url}/graphql`,
        method: 'POST',
        headers: JSON_POST,
        body,
        count,
        expectStatus: 400,
      });
      return fromLoad(r);
    };
    const sides = await alternate(
      'timing',
      [
        { label: 'unknown e-mail', measure: attempt(`nobody-${Date.now()}@example.com`) },
        { label: 'wrong password', measure: attempt(email) },
      ],
      // Counted attempts, not timed load: one count of each as warm-up, as before.
      { ...settings, warmupSeconds: 0, warmupOperations: 0 },
    );
    details['timing'] = sides;
    const [unknown, wrong] = Object.values(sides);
    figures.push({
      id: 'sign-in-timing',
      title: 'sign-in time, unknown e-mail ÷ wrong password (T41, ≈ 1)',
      ratioDefinition: 'median latency for an unknown e-mail ÷ for a known e-mail with a wrong password',
      ...paired(unknown!, wrong!, 'p50Ms'),
      target: null,
      better: 'lower',
      detail: `${unknown!.medianP50Ms.toFixed(1)} ms / ${wrong!.medianP50Ms.toFixed(1)} ms`,
    });
  }

  // ---- 7. revocation propagation between two instances (bench/revocation-propagation.ts, when present) ----
  if (wanted('revocation')) figures.push(await revocationPropagation(database.url));

  const result = {
    name: settings.name,
    date: new Date().toISOString(),
    machine: machine(),
    parameters: { ...settings, uvThreadpoolSize: process.env['UV_THREADPOOL_SIZE'] ?? 'default (4)' },
    figures,
    sides: details,
  };
  console.log(`\n${table(figures)}\n`);
  if (only.size === 0 && !cpuProfDir) {
    const m = result.machine;
    await writeOutputs(
      settings.name,
      result,
      `${m.cpus} × ${m.model}, Node ${m.node}, ${result.date.slice(0, 10)}${settings.quick ? ' (BENCH_QUICK: smoke run, not a measurement)' : ''}`,
      {
        updateReadme: !settings.quick && settings.name === 'summary',
      },
    );
    log(
      `wrote bench/results/${settings.name}.json and .svg${!settings.quick && settings.name === 'summary' ? ' and bench/README.md' : ''}`,
    );
  } else if (process.env['BENCH_NAME'] && settings.name !== 'summary') {
    // A subset or a profiling run, named on purpose: its figures and sides, never the summary's files.
    await writeFile(path.join(BENCH_DIR, 'results', `${settings.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote bench/results/${settings.name}.json`);
  }
  const failed = figures.filter((f) => (f.errors ?? 0) > 0);
  if (failed.length) {
    log(`errors during: ${failed.map((f) => f.id).join(', ')}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
}

async function expectTypename(url: string, headers: Record<string, string>): Promise<void> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: TYPENAME });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"__typename":"Query"')) throw new Error(`${url}: unexpected answer ${res.status} ${text}`);
}

async function expectSignedIn(url: string, body: string, expectedCookies: number): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: JSON_POST, body });
  const text = await res.text();
  const answer = (() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  })() as { data?: { signIn?: { accessToken?: unknown } }; errors?: unknown } | null;
  const cookies = res.headers.getSetCookie().length;
  if (res.status !== 200 || answer?.errors || typeof answer?.data?.signIn?.accessToken !== 'string' || cookies !== expectedCookies) {
    throw new Error(
      `${url}: a sign-in was not answered with a token and ${expectedCookies} cookie(s) (HTTP ${res.status}, ${cookies}): ${text.slice(0, 300)}`,
    );
  }
}

async function expectStatus(url: string, headers: Record<string, string>, status: number): Promise<void> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: TYPENAME });
  await res.arrayBuffer();
  if (res.status !== status) throw new Error(`${url}: expected HTTP ${status}, got ${res.status}`);
}

async function inBatches<T>(n: number, batch: number, make: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += batch) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, n - i) }, make))));
  return out;
}

function passwordHash(url: string, userId: string): Promise<string> {
  return withDb(
    url,
    async (db) => (await db.query<{ h: string }>('SELECT password_hash AS h FROM users WHERE id = $1', [userId])).rows[0]!.h,
  );
}

/** A throughput figure: the first side's req/s ÷ the second's, paired by round; higher is better. */
function perSecondFigure(f: {
  id: string;
  title: string;
  ratioDefinition: string;
  sides: [SideSummary, SideSummary];
  target: number | null;
  errors: number;
}): Figure {
  const [a, b] = f.sides;
  const rps = (s: SideSummary) => `${s.medianPerSecond.toFixed(0)} req/s`;
  return {
    id: f.id,
    title: f.title,
    ratioDefinition: f.ratioDefinition,
    ...paired(a, b, 'perSecond'),
    target: f.target,
    better: 'higher',
    detail: `${rps(a)} / ${rps(b)}`,
    errors: f.errors,
  };
}

/**
 * A figure from the CPU time per operation of two sides (processes' own threads, not PostgreSQL):
 * the cheaper side's ÷ the dearer side's, so that it reads like the throughput ratio it explains.
 */
function cpuFigure(f: { id: string; title: string; cheaper: SideSummary; dearer: SideSummary; unit: 'µs' | 'ms' }): Figure {
  const [a, b] = [processCpuMs(f.cheaper.extra), processCpuMs(f.dearer.extra)];
  const show = (x: number) => (f.unit === 'µs' ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(2)} ms`);
  return {
    id: f.id,
    title: f.title,
    ratioDefinition: `CPU time per operation of “${f.cheaper.label}” ÷ of “${f.dearer.label}” (median over rounds)`,
    value: a === null || b === null ? null : round(a / b),
    target: null,
    better: 'higher',
    detail: a === null || b === null ? 'not measured (needs Linux /proc)' : `${show(a)} / ${show(b)} per operation`,
  };
}

function rawArgon2(hash: string, concurrency: number, seconds: number): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, tsxArgs('alternatives/argon2-verify.ts'), {
      env: { ...process.env, ARGON2_HASH: hash, ARGON2_PASSWORD: PASSWORD, CONCURRENCY: String(concurrency), SECONDS: String(seconds) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`argon2-verify exited with ${code}`));
      const r = JSON.parse(out) as { perSecond: number; cpuMsPerVerify: number };
      // All of its CPU is argon2's (and the thread pool's around it): cpuOtherThreadsMs, like the API's pool.
      resolve({
        perSecond: r.perSecond,
        p50Ms: Number.NaN,
        p99Ms: Number.NaN,
        errors: 0,
        extra: { cpuMainMs: 0, cpuOtherThreadsMs: r.cpuMsPerVerify },
      });
    });
  });
}

function eventLoopDelay(api: Service): Promise<{ p50Ms: number; p99Ms: number; maxMs: number }> {
  return new Promise((resolve) => {
    const onMessage = (m: { probe?: string; p50Ms: number; p99Ms: number; maxMs: number }) => {
      if (m?.probe !== 'event-loop') return;
      api.child.off('message', onMessage);
      resolve(m);
    };
    api.child.on('message', onMessage);
    api.child.send({ probe: 'event-loop-read' });
  });
}

/**
 * The slot for bench/revocation-propagation.ts (written separately). Contract: it is run as
 * `node --import tsx bench/revocation-propagation.ts` with DATABASE_URL (a database of its own is up
 * to it; this run's is passed), BENCH_PORT_BASE (ports it may use, 10 from there), BENCH_QUICK and
 * BENCH_API_MAIN (the built API), and prints as its LAST stdout line `{"p50Ms": n, "p99Ms": n}`.
 */
async function revocationPropagation(databaseUrl: string): Promise<Figure> {
  const file = path.join(BENCH_DIR, 'revocation-propagation.ts');
  const base: Figure = {
    id: 'revocation-propagation',
    title: 'revocation propagation between two instances, p99 (ms)',
    ratioDefinition: 'milliseconds from revoking on instance A until instance B refuses the token (p99)',
    value: null,
    target: 100,
    better: 'lower',
    detail: 'not measured: bench/revocation-propagation.ts is not in this tree',
  };
  if (!existsSync(file)) return base;
  log('revocation: running bench/revocation-propagation.ts');
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, tsxArgs('revocation-propagation.ts'), {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        BENCH_PORT_BASE: String(settings.ports.extra),
        BENCH_QUICK: settings.quick ? '1' : '0',
        BENCH_API_MAIN: path.join(REPO_ROOT, 'apps/api/dist/main.js'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`revocation-propagation.ts exited with ${code}`))));
  });
  const last = out.trim().split('\n').at(-1) ?? '{}';
  const r = JSON.parse(last) as { p50Ms?: number; p99Ms?: number };
  if (typeof r.p99Ms !== 'number') return { ...base, detail: `its output was not understood: ${last.slice(0, 200)}` };
  return { ...base, value: round(r.p99Ms, 1), detail: `p50 ${r.p50Ms?.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms` };
}
