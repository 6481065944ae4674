// Counting the instructions a server executes, with valgrind's callgrind (instructions.ts).
//
// WHY instructions: on this shared 2-core machine two identical workloads differ by up to a
// quarter in req/s between rounds, and so does the CPU time per request. The number of instructions
// a process executes for the same requests does not depend on its neighbours: callgrind counts
// them on a simulated CPU, the same total run after run (to a per cent or two here). It
// counts user-space instructions only (not the kernel's socket work, nor cache misses): a
// difference of work, not of time.
//
// The server runs under callgrind with instrumentation off (about 5–10 times slower, no counting)
// until `callgrindControl(pid, 'on')`; each `dump` writes the instructions counted since the last
// one, per thread (--separate-threads), to files `<out>.<n>-<thread>` that `readDump` adds up.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** valgrind's arguments before the program: callgrind, counting off, JIT code re-read when V8 rewrites it. */
export function callgrindArgs(outFile: string): string[] {
  return [
    '--tool=callgrind',
    '--instr-atstart=no',
    // V8 writes and rewrites machine code in anonymous memory: valgrind must notice it.
    '--smc-check=all-non-file',
    '--separate-threads=yes',
    `--callgrind-out-file=${outFile}`,
  ];
}

/** Switches counting on or off, or writes a dump of what was counted since the last one. */
export function callgrindControl(pid: number, command: 'on' | 'off' | 'dump'): Promise<void> {
  const args = command === 'dump' ? ['--dump', String(pid)] : [`--instr=${command}`, String(pid)];
  return new Promise((resolve, reject) =>
    execFile('callgrind_control', args, { timeout: 120_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`callgrind_control ${args.join(' ')}: ${String(error)} ${stdout} ${stderr}`)) : resolve(),
    ),
  );
}

/**
 * The instructions (Ir) in one callgrind dump: its `totals:` line's first event. (A dump's
 * `summary:` line reads 0 when counting was switched on and off by callgrind_control.)
 */
export function instructionsIn(text: string): number {
  const line = /^totals:\s+(\d+)/m.exec(text);
  if (!line) throw new Error('no totals line in a callgrind output file');
  return Number(line[1]);
}

export type Dump = { total: number; mainThread: number; threads: number };

/**
 * Dump number `n` of the process whose output file is `outFile`: every thread's instructions, and
 * the main thread's (thread 1, the one running JavaScript) on its own.
 */
export function readDump(outFile: string, n: number): Dump {
  const dir = path.dirname(outFile);
  const prefix = `${path.basename(outFile)}.${n}-`;
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix));
  if (files.length === 0) throw new Error(`no callgrind dump ${n} of ${outFile}`);
  let total = 0;
  let mainThread = 0;
  for (const file of files) {
    const count = instructionsIn(readFileSync(path.join(dir, file), 'utf8'));
    total += count;
    if (Number(file.slice(prefix.length)) === 1) mainThread = count;
  }
  return { total, mainThread, threads: files.length };
}
