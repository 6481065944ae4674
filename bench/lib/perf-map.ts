// node --perf-basic-prof appends a line to /tmp/perf-<pid>.map ("<start> <size> <name>", hex) each
// time V8 places code. V8 frees code and puts new code at the same addresses later, so one address
// can have several lines: the last one names the code there now. `perf report` and `perf script`
// resolve an address to the FIRST line that covers it, so a long profile names JIT frames after
// code that is long gone: in one signed-in-page profile, 16 % of the stacks ran through frames
// called `Eval:~ graphql/language/visitor.js:1:1` (a module's top level, which runs once), really
// pg-pool's baseline code. `latestPerfMap` rewrites a map so that every address keeps only its
// latest name; profile-side.ts applies it once the profiled process has stopped writing.

export type PerfMapEntry = { start: bigint; size: bigint; name: string };

export function parsePerfMap(text: string): PerfMapEntry[] {
  const entries: PerfMapEntry[] = [];
  for (const line of text.split('\n')) {
    const match = /^([0-9a-fA-F]+) ([0-9a-fA-F]+) (.*)$/.exec(line);
    if (match) entries.push({ start: BigInt(`0x${match[1]}`), size: BigInt(`0x${match[2]}`), name: match[3]! });
  }
  return entries;
}

export function formatPerfMap(entries: readonly PerfMapEntry[]): string {
  return entries.map((e) => `${e.start.toString(16)} ${e.size.toString(16)} ${e.name}\n`).join('');
}

/**
 * The same address space, each byte named by the last entry (in file order) that covers it; the
 * result is sorted by address and has no overlaps. An entry that later code covers only in part
 * keeps the parts that are still its own.
 */
export function latestPerfMap(entries: readonly PerfMapEntry[]): PerfMapEntry[] {
  // Elementary intervals between all boundaries; each belongs to the newest entry covering it.
  const bounds = [...new Set(entries.flatMap((e) => (e.size > 0n ? [e.start, e.start + e.size] : [])))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const index = new Map(bounds.map((b, i) => [b, i]));
  const owner = new Int32Array(Math.max(0, bounds.length - 1)).fill(-1);
  // Newest first: an interval, once owned, keeps its owner. Each entry's run of intervals is walked
  // once; the total is bounded by entries × the intervals they span (small: code objects rarely nest).
  for (let n = entries.length - 1; n >= 0; n--) {
    const e = entries[n]!;
    if (e.size <= 0n) continue;
    for (let i = index.get(e.start)!, end = index.get(e.start + e.size)!; i < end; i++) if (owner[i] === -1) owner[i] = n;
  }
  const out: PerfMapEntry[] = [];
  for (let i = 0; i < owner.length; i++) {
    const n = owner[i]!;
    if (n === -1) continue;
    const last = out.at(-1);
    const start = bounds[i]!;
    const size = bounds[i + 1]! - start;
    // The interval before belonged to the same entry: it is `last`, and this one continues it.
    if (last && owner[i - 1] === n) last.size += size;
    else out.push({ start, size, name: entries[n]!.name });
  }
  return out;
}
