// Smoke test: `BENCH_QUICK=1` runs every benchmark for one short round against the real processes and
// must finish with every figure computed and no request failing. It asserts NO timings (this project's
// rule: performance is measured in bench/, never asserted in tests). Takes 1–2 minutes: run it with `pnpm test:smoke`
// in bench/ (needs `pnpm build` and PostgreSQL on 127.0.0.1:5432); it is not part of `pnpm test`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const benchDir = fileURLToPath(new URL('../', import.meta.url));

it('runs every benchmark once and computes every figure without errors', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'run.ts'], {
    cwd: benchDir,
    env: { ...process.env, BENCH_QUICK: '1', BENCH_NAME: 'smoke' },
    encoding: 'utf8',
    timeout: 280_000,
  });
  expect(run.status, run.stderr.slice(-4000)).toBe(0);
  const result = JSON.parse(readFileSync(new URL('../results/smoke.json', import.meta.url), 'utf8')) as {
    machine: { cpus: number; node: string };
    figures: { id: string; value: number | null; errors?: number }[];
  };
  expect(result.machine.node).toBe(process.version);
  const ids = result.figures.map((f) => f.id);
  // CPU time per operation is read from /proc (lib/cpu.ts): Linux only.
  const linux = process.platform === 'linux';
  const cpuFigures = [
    'auth-vs-anonymous-cpu',
    'auth-added-cpu-vs-floor',
    'anonymous-vs-bare-yoga-cpu',
    'sign-in-cpu-share',
    'sign-in-floor-cpu-share',
    'sign-in-design-floor-cpu-share',
    'sign-in-yoga-floor-cpu-share',
    'ssr-added-cpu',
    'ssr-added-cpu-apollo',
    'ssr-added-cpu-design',
    'ssr-added-cpu-our-page-design-api',
  ];
  expect(ids).toEqual(
    [
      'auth-vs-anonymous',
      'header-bytes-floor',
      'token-check-floor',
      'anonymous-vs-bare-yoga',
      'hooks-floor',
      'auth-vs-anonymous-cpu',
      'auth-added-cpu-vs-floor',
      'anonymous-vs-bare-yoga-cpu',
      'auth-vs-plugin-jwt',
      'rotation-floor-vs-plain-sql',
      'rotation-vs-http-floor',
      'rotation-vs-plain-sql',
      'sign-in-floor-vs-argon2',
      'sign-in-vs-floor',
      'sign-in-design-floor-vs-argon2',
      'sign-in-vs-design-floor',
      'sign-in-yoga-floor-vs-argon2',
      'sign-in-yoga-floor-vs-design-floor',
      'sign-in-vs-yoga-floor',
      'sign-in-vs-argon2',
      'sign-in-cpu-share',
      'sign-in-floor-cpu-share',
      'sign-in-design-floor-cpu-share',
      'sign-in-yoga-floor-cpu-share',
      'ssr-ttfb',
      'ssr-ttfb-floor',
      'ssr-ttfb-stack-floor',
      'ssr-ttfb-stack-floor-apollo',
      'ssr-ttfb-design-floor',
      'ssr-ttfb-our-page-design-api',
      'ssr-ttfb-thinnest',
      'ssr-api-alone',
      'ssr-added-cpu',
      'ssr-added-cpu-apollo',
      'ssr-added-cpu-design',
      'ssr-added-cpu-our-page-design-api',
      'storm-p99',
      'sign-in-timing',
      'revocation-propagation',
    ].filter(
      (id) =>
        linux ||
        !(
          id.endsWith('cpu-share') ||
          id === 'ssr-added-cpu' ||
          id === 'ssr-added-cpu-apollo' ||
          id === 'ssr-added-cpu-design' ||
          id === 'ssr-added-cpu-our-page-design-api' ||
          id === 'auth-added-cpu-vs-floor'
        ),
    ),
  );
  for (const f of result.figures.filter((x) => x.id !== 'revocation-propagation' && (linux || !cpuFigures.includes(x.id)))) {
    expect(Number.isFinite(f.value), f.id).toBe(true);
    expect(f.errors ?? 0, f.id).toBe(0);
  }
  // The table went to stdout, one row per figure.
  expect(run.stdout.split('\n').filter((l) => l.startsWith('| ')).length).toBe(result.figures.length + 1);
}, 300_000);
