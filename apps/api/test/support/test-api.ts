// Starts the real API (real HTTP server, real database) in this process, with the
// environment a test asks for: tiny TTLs, its own keys, its own fresh database.
import { generatePrivateJwks } from '../../src/auth/keys.js';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/logger.js';
import { startApi, type RunningApi } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export type TestApi = {
  url: string;
  env: Record<string, string>;
  database: TestDatabase;
  api: RunningApi;
  /** Stops the server and starts a new one on the same database (and, by default, the same keys). */
  restart(envOverrides?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
};

export type TestApiOptions = {
  /** Collects every log line the API writes (at trace level), for tests about what is logged. */
  logLines?: string[];
};

export async function startTestApi(env: Record<string, string> = {}, options: TestApiOptions = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  const baseEnv: Record<string, string> = {
    NODE_ENV: 'test',
    API_PORT: '0',
    API_HOST: '127.0.0.1',
    DATA_DIR: database.dataDir,
    JWT_PRIVATE_KEYS: await generatePrivateJwks('test-key-1'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    ...env,
  };
  const logger = options.logLines
    ? createLogger('trace', { write: (line: string) => void options.logLines!.push(line) })
    : createLogger(baseEnv.LOG_LEVEL ?? 'silent');
  const start = (e: Record<string, string>) => startApi(loadConfig(e), logger);

  const handle: TestApi = {
    url: '',
    env: baseEnv,
    database,
    api: await start(baseEnv),
    async restart(envOverrides = {}) {
      await handle.api.close();
      handle.env = { ...handle.env, ...envOverrides };
      handle.api = await start(handle.env);
      handle.url = handle.api.url;
    },
    async close() {
      await handle.api.close();
      await database.drop();
    },
  };
  handle.url = handle.api.url;
  return handle;
}

let counter = 0;
/** A unique, valid e-mail address per call. */
export const uniqueEmail = (label = 'user') => `${label}-${process.pid}-${Date.now()}-${++counter}@example.test`;
export const PASSWORD = 'correct horse battery staple';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
