// The embedded database's directory lock: one process at a time, a dead process's lock taken
// over, and never by two processes at once, however their steps interleave.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.js';

const apiDir = fileURLToPath(new URL('../..', import.meta.url));
const lockModule = fileURLToPath(new URL('./data-dir-lock.ts', import.meta.url));

/** The pid of a process that has exited (so nobody holds it now). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

/**
 * A separate process that, for each round r, at wall-clock time `start + r * roundMs`, tries to
 * lock `dirs[r]` and prints `r:locked` or `r:refused`. It keeps every lock it got until the end.
 */
async function contender(dirs: string[], start: number, roundMs: number): Promise<string[]> {
  const script = `
    const { lockDataDir } = await import(${JSON.stringify(lockModule)});
    const dirs = ${JSON.stringify(dirs)};
    for (let r = 0; r < dirs.length; r++) {
      await new Promise((res) => setTimeout(res, Math.max(0, ${start} + r * ${roundMs} - Date.now())));
      try { await lockDataDir(dirs[r]); console.log(r + ':locked'); }
      catch { console.log(r + ':refused'); }
    }
    // Stay alive (holding the locks) until every contender is done: a lock of an exited process
    // is rightly taken over.
    await new Promise((res) => setTimeout(res, Math.max(0, ${start} + dirs.length * ${roundMs} + 3000 - Date.now())));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: apiDir,
  });
  return stdout.trim().split('\n');
}

describe('data-dir lock', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'data-dir-lock-'));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('refuses a second holder in this process, and is free again after release', async () => {
    const dir = path.join(base, 'pglite');
    const results = await Promise.allSettled([lockDataDir(dir), lockDataDir(dir)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const release = results.find((r) => r.status === 'fulfilled')!.value;
    await release();
    await (
      await lockDataDir(dir)
    )();
    expect(await readdir(base)).toEqual([]); // released: no lock, no temporary or marker file left
  });

  it('refuses a lock held by a live process and leaves it alone', async () => {
    const dir = path.join(base, 'pglite');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await writeFile(`${dir}.lock`, `${holder.pid}\nsome-nonce\n`);
      await expect(lockDataDir(dir)).rejects.toThrow(/in use by process/);
      expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${holder.pid}\nsome-nonce\n`);
    } finally {
      holder.kill();
    }
  });

  it('takes over the lock of a process that is gone (old one-line format too)', async () => {
    const pid = await deadPid();
    for (const content of [`${pid}\nnonce\n`, String(pid), '']) {
      const dir = path.join(base, 'pglite');
      await writeFile(`${dir}.lock`, content);
      const release = await lockDataDir(dir);
      expect(await readFile(`${dir}.lock`, 'utf8')).toMatch(new RegExp(`^${process.pid}\\n`));
      await release();
    }
  });

  it('processes that all find the same stale lock at the same moment: exactly one takes it over', async () => {
    const rounds = 8;
    const pid = await deadPid();
    const dirs = await Promise.all(
      Array.from({ length: rounds }, async (_, r) => {
        const roundDir = path.join(base, `r${r}`);
        await mkdir(roundDir);
        const dir = path.join(roundDir, 'pglite');
        await writeFile(`${dir}.lock`, `${pid}\nleft-by-a-crash-${r}\n`);
        return dir;
      }),
    );
    const start = Date.now() + 4000; // after every process has started
    const outputs = await Promise.all(Array.from({ length: 4 }, () => contender(dirs, start, 300)));
    for (let r = 0; r < rounds; r++) {
      const winners = outputs.filter((lines) => lines.includes(`${r}:locked`)).length;
      expect(winners, `round ${r}: ${JSON.stringify(outputs.map((o) => o[r]))}`).toBe(1);
    }
  }, 30_000);
});
