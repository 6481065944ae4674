// The built web app (apps/web/dist/server/main.js, production settings) in front of an API.
import path from 'node:path';
import { REPO_ROOT, startService, type Service } from './processes.js';

export function startBuiltWeb(options: {
  apiUrl: string;
  port: number;
  name?: string;
  /** Another copy of the web app (ab-web.ts), relative to the repository; default apps/web. */
  dir?: string;
  /** Node options before the script (a profiler, a probe, a V8 flag). */
  nodeArgs?: string[];
  env?: Record<string, string>;
}): Promise<Service> {
  return startService({
    name: options.name ?? 'web',
    command: process.execPath,
    args: [...(options.nodeArgs ?? []), 'dist/server/main.js'],
    cwd: path.resolve(REPO_ROOT, options.dir ?? 'apps/web'),
    env: { NODE_ENV: 'production', PORT: String(options.port), HOST: '127.0.0.1', API_URL: options.apiUrl, ...options.env },
    url: `http://127.0.0.1:${options.port}`,
    readyPath: '/signin',
  });
}
