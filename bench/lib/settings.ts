// Run parameters. `BENCH_QUICK=1`: one short round of everything (a smoke run, not a measurement).
export const QUICK = process.env['BENCH_QUICK'] === '1';

/** A positive number from the environment, or `fallback` when unset; anything else stops the run. */
export function positiveFromEnv(name: string, fallback: number, options: { integer?: boolean } = {}): number {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (options.integer && !Number.isInteger(value))) {
    throw new Error(`${name}=${raw}: expected a positive ${options.integer ? 'integer' : 'number'}`);
  }
  return value;
}

export const settings = {
  quick: QUICK,
  /** Rounds of A B (A B …) after the warm-up; the figure is the median over rounds. */
  rounds: QUICK ? 1 : 5,
  /** Seconds of load per side per round. */
  seconds: QUICK ? 1 : 2.5,
  /** Seconds of load per side before the rounds, at least (`BENCH_WARMUP`). */
  warmupSeconds: positiveFromEnv('BENCH_WARMUP', QUICK ? 0.5 : 1.5),
  /**
   * Operations each side serves before its rounds (`BENCH_WARMUP_OPERATIONS`), in windows of
   * `seconds`, but for no longer than `warmupMaxSeconds` (`BENCH_WARMUP_MAX`). WHY a count, not a
   * time: V8 compiles a function with its optimising tier only after it has run often enough, so
   * a side that serves 85 sign-ins a second runs mostly unoptimised code for its first minute
   * (see HISTORY.md, "Fourteenth pass"): a time-based warm-up measured that, most of all on the sides
   * with the most code. A side at thousands of requests a second is warm within its first window.
   */
  warmupOperations: QUICK ? 0 : positiveFromEnv('BENCH_WARMUP_OPERATIONS', 8000, { integer: true }),
  warmupMaxSeconds: positiveFromEnv('BENCH_WARMUP_MAX', QUICK ? 0.5 : 45),
  /** Open connections for the throughput figures. */
  connections: 16,
  /** Sessions (and connections) rotating at once; the plain-SQL side uses as many clients. */
  rotationSessions: positiveFromEnv('BENCH_ROTATION_SESSIONS', 16, { integer: true }),
  /** Sign-ins in flight at once, and as many concurrent argon2id verifications on the raw side. */
  signInConcurrency: positiveFromEnv('BENCH_SIGN_IN_CONCURRENCY', 8, { integer: true }),
  /** Concurrent sign-ins during the storm. */
  stormConcurrency: 50,
  /** Authenticated connections measuring latency while the storm runs (and while idle). */
  probeConnections: 4,
  /** Ports 4600-4699 are this bench's. */
  ports: {
    api: 4601,
    web: 4602,
    bareYoga: 4603,
    yogaJwt: 4604,
    rotationFloor: 4605,
    signInFloor: 4606,
    ssrFloorApi: 4607,
    ssrFloorWeb: 4608,
    /** lib/capture-request.ts: where a web server's request to its API is recorded at set-up. */
    capture: 4609,
    tokenCheckFloor: 4610,
    hooksFloor: 4611,
    signInDesignFloor: 4612,
    /** profile-side.ts with PROFILE_PERF=heap: the profiled process's inspector. */
    inspector: 4613,
    /** servers/design-api.ts: this design's refresh written plainly, under our API's names. */
    designApi: 4614,
    /** The built web app a second time, in front of designApi. */
    webOnDesignApi: 4615,
    /** servers/sign-in-yoga-floor.ts: this design's sign-in written plainly, as a bare Yoga mutation. */
    signInYogaFloor: 4616,
    extra: 4650,
  },
  adminDatabaseUrl: process.env['BENCH_ADMIN_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  /** Output name: results/<name>.json and .svg. A quick run never overwrites the real summary. */
  name: process.env['BENCH_NAME'] ?? (QUICK ? 'quick' : 'summary'),
} as const;

export type Settings = { -readonly [K in keyof typeof settings]: (typeof settings)[K] extends number ? number : (typeof settings)[K] };

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
