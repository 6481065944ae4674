// CPU time spent per operation, read from /proc (Linux): the server's main thread, its other
// threads (libuv's pool: argon2; V8's: GC and compilation) and PostgreSQL's processes. A second
// view of a figure: where a side's CPU goes (main thread, pool threads, PostgreSQL), and a sign-in's
// ceiling. Not a steadier one: a server whose main thread is saturated spends per operation the
// inverse of its throughput, so the neighbours' load moves both (issue 12). Elsewhere than Linux: null.
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: /proc reports times in these ticks; 100 on every Linux this bench meets. */
const TICKS_PER_SECOND = 100;

/** `postgresMs`: each PostgreSQL process's CPU so far, by pid. */
export type CpuSnapshot = { mainMs: number; allThreadsMs: number; postgresMs: Map<string, number> };
export type CpuPerOperation = { mainMs: number; otherThreadsMs: number; postgresMs: number };

/** utime + stime of /proc/<path>/stat, in ms (fields 14 and 15; the name in parentheses may hold spaces). */
function statMs(path: string): number {
  const fields = readFileSync(`/proc/${path}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function postgresMs(): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('postgres')) byPid.set(entry, statMs(entry));
    } catch {
      // the process ended between the listing and the read
    }
  }
  return byPid;
}

/**
 * What PostgreSQL's processes spent between two snapshots, process by process: a backend that a
 * pool opened in between counts from zero. (Summing totals instead lost every backend that a pool
 * closed in between, with all the CPU it had ever spent, and could come out below zero.)
 */
function postgresDeltaMs(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

export function cpuSnapshot(pid: number | undefined): CpuSnapshot | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    // The process's stat counts every thread, the main thread's (tid = pid) only its own.
    return { mainMs: statMs(`${pid}/task/${pid}`), allThreadsMs: statMs(String(pid)), postgresMs: postgresMs() };
  } catch {
    return null;
  }
}

/**
 * Per operation between two snapshots. PostgreSQL's share counts every backend, so it is only the
 * operation's own while nothing else uses the server (the bench runs alone: `flock`). A backend
 * that exited in between is missed (its work in the window), which undercounts, never overcounts.
 */
export function cpuPerOperation(before: CpuSnapshot | null, after: CpuSnapshot | null, operations: number): CpuPerOperation | null {
  if (!before || !after || operations <= 0) return null;
  const main = after.mainMs - before.mainMs;
  return {
    mainMs: main / operations,
    otherThreadsMs: (after.allThreadsMs - before.allThreadsMs - main) / operations,
    postgresMs: postgresDeltaMs(before.postgresMs, after.postgresMs) / operations,
  };
}

type Measured = { perSecond: number; extra?: Record<string, number> };

/**
 * Wraps a side's measurement: the CPU that `pid` (and PostgreSQL) spent per operation during it, in
 * `extra` as cpuMainMs / cpuOtherThreadsMs / cpuPostgresMs (nothing is added off Linux).
 */
export function withCpu<M extends Measured>(pid: () => number | undefined, measure: (seconds: number) => Promise<M>) {
  return async (seconds: number): Promise<M> => {
    const before = cpuSnapshot(pid());
    const m = await measure(seconds);
    const per = cpuPerOperation(before, cpuSnapshot(pid()), m.perSecond * seconds);
    if (!per) return m;
    return { ...m, extra: { ...m.extra, cpuMainMs: per.mainMs, cpuOtherThreadsMs: per.otherThreadsMs, cpuPostgresMs: per.postgresMs } };
  };
}

/** The process's whole CPU per operation (main + other threads), from a side's `extra`. */
export const processCpuMs = (extra: Record<string, number> | undefined): number | null =>
  extra?.['cpuMainMs'] === undefined || extra['cpuOtherThreadsMs'] === undefined ? null : extra['cpuMainMs'] + extra['cpuOtherThreadsMs'];

/**
 * Wraps a side whose operation runs through several processes (a page: the web server, the API):
 * each one's main-thread CPU per operation in `extra` as cpu<Name>MainMs, and PostgreSQL's as
 * cpuPostgresMs (nothing is added off Linux).
 */
export function withCpuOf<M extends Measured>(pids: Record<string, () => number | undefined>, measure: (seconds: number) => Promise<M>) {
  return async (seconds: number): Promise<M> => {
    const before = Object.entries(pids).map(([name, pid]) => [name, cpuSnapshot(pid())] as const);
    const m = await measure(seconds);
    const extra: Record<string, number> = {};
    for (const [name, snapshot] of before) {
      const per = cpuPerOperation(snapshot, cpuSnapshot(pids[name]!()), m.perSecond * seconds);
      if (!per) return m;
      extra[`cpu${name[0]!.toUpperCase()}${name.slice(1)}MainMs`] = per.mainMs;
      // Every process's snapshots span the same window: PostgreSQL's share is read from the first.
      extra['cpuPostgresMs'] ??= per.postgresMs;
    }
    return { ...m, extra: { ...m.extra, ...extra } };
  };
}
