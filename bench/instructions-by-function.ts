// `tsx instructions-by-function.ts <dump> <operations> [<other dump> <operations>] [top]`: where a
// counted side's instructions went, function by function. A dump is one that
// `BENCH_INSTRUCTIONS_KEEP=<dir> pnpm bench:instructions` kept: `<dir>/<side>.out.<window>-01` is
// the main thread's count of one window, of `operations` operations (the run's
// BENCH_INSTRUCTIONS_PAGES, _SIGN_INS or _REQUESTS). callgrind names native code by its symbol;
// JavaScript, which V8 compiles into anonymous memory, only by its address, so each address is
// named from the process's /tmp/perf-<pid>.map (--perf-basic-prof, which that run turns on), by the
// code there last (lib/perf-map.ts).
//
// Prints self instructions per operation, by owner (lib/perf-owners.ts: a package, a file of ours,
// Node's module; or V8, OpenSSL and the rest of node's native code, libc) and by function. With a
// second dump: both sides and the difference (second − first), largest first. Unlike a sampling
// profile this is exact and reads the same on a busy host: how much work, not how long.
// A profiling aid, not a figure.
//
// `--inclusive`: each function with everything it called (callgrind_annotate --inclusive=yes), by
// function only. Self counts show where instructions are spent; inclusive ones show who asked for
// them, which is how the thirty-third pass found Yoga's validation-cache key (HISTORY.md): its own
// instructions were few, the map, join and string hash it called were a tenth of a request.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { latestPerfMap, parsePerfMap, type PerfMapEntry } from './lib/perf-map.js';
import { codeOwner } from './lib/perf-owners.js';

const inclusive = process.argv.includes('--inclusive');
const args = process.argv.slice(2).filter((a) => a !== '--inclusive');
if (args.length < 2)
  throw new Error('usage: tsx instructions-by-function.ts [--inclusive] <dump> <operations> [<other dump> <operations>] [top]');
const sides = [{ dump: args[0]!, operations: Number(args[1]) }];
if (args.length >= 4) sides.push({ dump: args[2]!, operations: Number(args[3]) });
const top = Number(args[sides.length * 2] ?? 30);
for (const s of sides) if (!(s.operations > 0)) throw new Error(`operations must be a positive number (${s.dump})`);

/** Self (or, with --inclusive, inclusive) instructions per operation of each function (JavaScript named from the perf map). */
function selfPerOperation(dump: string, operations: number): Map<string, number> {
  const pid = /^pid: (\d+)$/m.exec(readFileSync(dump, 'utf8').slice(0, 4096))?.[1];
  if (!pid) throw new Error(`${dump}: no pid line (not a callgrind dump?)`);
  const map = latestPerfMap(parsePerfMap(readFileSync(`/tmp/perf-${pid}.map`, 'utf8')));
  const annotated = execFileSync('callgrind_annotate', ['--threshold=100', ...(inclusive ? ['--inclusive=yes'] : []), dump], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const self = new Map<string, number>();
  for (const line of annotated.split('\n')) {
    const row = /^\s*([\d,]+) \([^)]*\)\s+(.+)$/.exec(line);
    if (!row || row[2]!.includes('PROGRAM TOTALS')) continue;
    const count = Number(row[1]!.replace(/,/g, ''));
    const name = functionName(row[2]!, map);
    // Self counts of one function's pieces (recursion levels, code replaced by the JIT) add up; an
    // inclusive count of an outer level already holds the inner ones, so the largest stands.
    self.set(name, inclusive ? Math.max(self.get(name) ?? 0, count / operations) : (self.get(name) ?? 0) + count / operations);
  }
  return self;
}

/** `???:0x…'2 [???]` is JIT code (the perf map names it); anything else is `file:symbol [object]`. */
function functionName(annotated: string, map: readonly PerfMapEntry[]): string {
  const jit = /^\?\?\?:0x([0-9a-f]+)(?:'\d+)? \[\?\?\?\]$/.exec(annotated);
  if (jit) return named(map, BigInt(`0x${jit[1]}`)) ?? `JIT code at 0x${jit[1]} (not in the perf map)`;
  // Recursion levels ('2) count as the function itself.
  return annotated.replace(/^[^:]*:/, '').replace(/'\d+ \[/, ' [');
}

/** The perf map's entry covering `address` (sorted, without overlaps: latestPerfMap). */
function named(map: readonly PerfMapEntry[], address: bigint): string | undefined {
  let low = 0;
  let high = map.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const e = map[mid]!;
    if (address < e.start) high = mid - 1;
    else if (address >= e.start + e.size) low = mid + 1;
    else return e.name;
  }
  return undefined;
}

function ownerOf(name: string): string {
  const js = codeOwner(name);
  if (js) return js;
  if (/^(JS|Builtin|Bytecode|RegExp|Handler|Function|LazyCompile|Script|Eval):/.test(name))
    return 'V8 (JavaScript of its own, regular expressions)';
  if (/^(v8::|Builtins_|heap::|cppgc::)/.test(name)) return 'V8 (runtime, builtins, GC)';
  if (/^node::/.test(name)) return "node's C++";
  if (/^uv_/.test(name)) return 'libuv';
  if (name.endsWith('[/usr/bin/node]')) return "OpenSSL and the rest of node's native code";
  if (/libc\.so|ld-linux/.test(name)) return 'libc';
  return 'other native code';
}

const counts = sides.map((s) => selfPerOperation(s.dump, s.operations));
const byOwner = counts.map((c) => {
  const owners = new Map<string, number>();
  for (const [name, n] of c) owners.set(ownerOf(name), (owners.get(ownerOf(name)) ?? 0) + n);
  return owners;
});
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const total = (c: Map<string, number>) => [...c.values()].reduce((a, b) => a + b, 0);

function table(title: string, maps: Map<string, number>[], rows: number) {
  const keys = [...new Set(maps.flatMap((m) => [...m.keys()]))];
  const value = (m: Map<string, number>, k: string) => m.get(k) ?? 0;
  const order = (k: string) => (maps.length === 2 ? Math.abs(value(maps[1]!, k) - value(maps[0]!, k)) : value(maps[0]!, k));
  keys.sort((a, b) => order(b) - order(a));
  const head = maps.length === 2 ? '| first | second | difference |' : '| per operation |';
  process.stdout.write(`\n${title}\n\n| name ${head}\n|---|${maps.length === 2 ? '---|---|---|' : '---|'}\n`);
  for (const k of keys.slice(0, rows)) {
    const cells =
      maps.length === 2 ? [value(maps[0]!, k), value(maps[1]!, k), value(maps[1]!, k) - value(maps[0]!, k)] : [value(maps[0]!, k)];
    process.stdout.write(
      `| ${k.replace(/\|/g, '\\|')} | ${cells.map((n, i) => (i === 2 && n > 0 ? `+${fmt(n)}` : fmt(n))).join(' | ')} |\n`,
    );
  }
}

if (inclusive) {
  table('By function, with what each called (inclusive)', counts, top);
} else {
  process.stdout.write(`main-thread instructions per operation: ${counts.map((c) => fmt(total(c))).join(' → ')}\n`);
  table('By owner', byOwner, 25);
  table('By function', counts, top);
}
