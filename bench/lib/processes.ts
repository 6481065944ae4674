// The processes a run drives: started here, logged to a temporary file, stopped by their own pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from './settings.js';

export const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url));
export const REPO_ROOT = path.resolve(BENCH_DIR, '..');
const LOG_DIR = mkdtempSync(path.join(tmpdir(), 'bench-logs-'));

export type Service = {
  name: string;
  url: string;
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
};

export async function startService(options: {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
  url: string;
  /** Path answered with 2xx once the service is ready. */
  readyPath: string;
  /** An IPC channel to the child (for probes loaded into it). */
  ipc?: boolean;
  timeoutMs?: number;
}): Promise<Service> {
  // A process left over from an earlier run on the same port would answer the readiness check
  // for this one, which then dies of EADDRINUSE unnoticed, and the run measures the stale one.
  if (await answers(options.url)) {
    throw new Error(`${options.name}: ${options.url} already answers; a process from an earlier run still holds the port`);
  }
  const logFile = path.join(LOG_DIR, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(options.command, options.args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...options.env },
    stdio: ['ignore', fd, fd, ...(options.ipc ? (['ipc'] as const) : [])],
  });
  closeSync(fd);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const res = await fetch(new URL(options.readyPath, options.url), { redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status < 500) {
        log(`${options.name} ready on ${options.url}`);
        return { name: options.name, url: options.url, child, logFile, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`${options.name} did not start; its log:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
}

/** Does anything accept connections at `url`'s host and port? */
function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** `node --import tsx <file>` for the bench's own TypeScript servers. */
export function tsxArgs(file: string): string[] {
  // Resolved here: the child's working directory need not see the bench's node_modules.
  return ['--import', import.meta.resolve('tsx'), path.join(BENCH_DIR, file)];
}
