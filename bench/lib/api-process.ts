// The built API as every bench script starts it: `node apps/api/dist/main.js` with production
// settings, on loopback, on the bench's own database, signing with a key generated for the run.
import path from 'node:path';
import { AUDIENCE, ISSUER } from './keys.js';
import { REPO_ROOT, startService, type Service } from './processes.js';

/** The bench is one address sending thousands of auth requests: budgets raised, limiting still on. */
export const RAISED_RATE_LIMITS = {
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '1000000000',
  RATE_LIMIT_AUTH_PER_ADDRESS: '1000000000',
  RATE_LIMIT_REFRESH_PER_ADDRESS: '1000000000',
} as const;

export function startBuiltApi(options: {
  port: number;
  databaseUrl: string;
  /** JWT_PRIVATE_KEYS (lib/keys.ts, apiSigningJwks). */
  jwks: string;
  name?: string;
  /** Another build's main.js (bench/ab-api.ts); default apps/api/dist/main.js. */
  main?: string;
  /** Node options before the script (--cpu-prof, --import of a probe). */
  nodeArgs?: string[];
  ipc?: boolean;
  env?: Record<string, string>;
  /** A program that runs node, and its arguments before node's (instructions.ts: valgrind). */
  launcher?: string[];
  timeoutMs?: number;
}): Promise<Service> {
  const [command = process.execPath, ...launcherArgs] = options.launcher ? [...options.launcher, process.execPath] : [];
  return startService({
    name: options.name ?? 'api',
    command,
    args: [...launcherArgs, ...(options.nodeArgs ?? []), options.main ?? path.join(REPO_ROOT, 'apps/api/dist/main.js')],
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.ipc ? { ipc: true } : {}),
    env: {
      NODE_ENV: 'production',
      API_HOST: '127.0.0.1',
      API_PORT: String(options.port),
      DATABASE_URL: options.databaseUrl,
      JWT_PRIVATE_KEYS: options.jwks,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      ...RAISED_RATE_LIMITS,
      ...options.env,
    },
    url: `http://127.0.0.1:${options.port}`,
    readyPath: '/readyz',
  });
}
