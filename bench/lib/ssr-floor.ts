// The thinnest signed-in page this stack can serve: servers/ssr-floor-web (Next.js, four pages) in
// front of servers/ssr-floor-api.ts (bare Yoga, one SQL statement per exchange). Built here, once per
// run (`next build`, a few seconds), so that the bench needs nothing from `pnpm build` for it.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { captureApiRequest, type CapturedRequest } from './capture-request.js';
import { BENCH_DIR, startService, tsxArgs, type Service } from './processes.js';
import { log } from './settings.js';

const run = promisify(execFile);
const WEB_DIR = path.join(BENCH_DIR, 'servers/ssr-floor-web');
const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

/**
 * servers/design-api.ts: this design's refresh written plainly, under our API's GraphQL names and
 * cookies, so that the built web app can be put in front of it (run.ts "ssr").
 */
export function startDesignApi(options: ApiOptions): Promise<Service> {
  return startBenchApi('design-api', 'servers/design-api.ts', options);
}

type ApiOptions = { databaseUrl: string; port: number; nodeArgs?: string[]; env?: Record<string, string> };

/** A bench server on bare Yoga (`file`, run by tsx) on the bench's database. */
function startBenchApi(name: string, file: string, options: ApiOptions): Promise<Service> {
  return startService({
    name,
    command: process.execPath,
    args: [...(options.nodeArgs ?? []), ...tsxArgs(file)],
    env: { NODE_ENV: 'production', PORT: String(options.port), DATABASE_URL: options.databaseUrl, ...options.env },
    url: `http://127.0.0.1:${options.port}`,
    readyPath: '/graphql?query=%7B__typename%7D',
  });
}

export async function startSsrFloor(options: {
  databaseUrl: string;
  apiPort: number;
  webPort: number;
  /** Where to capture the signed-in page's request to its API (lib/capture-request.ts), and with which cookie. */
  capture: { port: number; cookie: string };
  /** Extra node options for the API (profile-side.ts: a profiler). */
  apiNodeArgs?: string[];
  /** Extra node options for the web server (profile-side.ts: a profiler). */
  webNodeArgs?: string[];
  /** Extra environment for the API and for the measured web server (profile-side.ts: the marks probe's PROBE_PATH). */
  apiEnv?: Record<string, string>;
  webEnv?: Record<string, string>;
}): Promise<{ api: Service; web: Service; pageRequest: CapturedRequest }> {
  log('ssr floor: next build of servers/ssr-floor-web');
  await run(process.execPath, [NEXT_BIN, 'build'], {
    cwd: WEB_DIR,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 10 * 1024 * 1024,
  }).catch((e: { stdout?: string; stderr?: string }) => {
    throw new Error(`next build of servers/ssr-floor-web failed:\n${e.stdout ?? ''}${e.stderr ?? e}`);
  });
  const api = await startBenchApi('ssr-floor-api', 'servers/ssr-floor-api.ts', {
    databaseUrl: options.databaseUrl,
    port: options.apiPort,
    ...(options.apiNodeArgs ? { nodeArgs: options.apiNodeArgs } : {}),
    ...(options.apiEnv ? { env: options.apiEnv } : {}),
  });
  const startWeb = (apiUrl: string, nodeArgs: string[] = [], env: Record<string, string> = {}) =>
    startService({
      name: 'ssr-floor-web',
      command: process.execPath,
      args: [...nodeArgs, NEXT_BIN, 'start', '--port', String(options.webPort), '--hostname', '127.0.0.1'],
      cwd: WEB_DIR,
      env: { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', FLOOR_API_URL: apiUrl, ...env },
      url: `http://127.0.0.1:${options.webPort}`,
      readyPath: '/signin',
    });
  try {
    const pageRequest = await captureApiRequest({ startWeb, page: '/notes', ...options.capture });
    // Only the web server that serves the measured pages runs with the caller's options (a profiler).
    return { api, web: await startWeb(api.url, options.webNodeArgs, options.webEnv), pageRequest };
  } catch (error) {
    await api.stop();
    throw error;
  }
}
