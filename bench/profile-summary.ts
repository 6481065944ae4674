// `tsx profile-summary.ts <file.cpuprofile> [top]`: where the API's CPU time went, from a profile taken
// with `BENCH_CPU_PROF=<dir> BENCH_ONLY=<figure> pnpm bench`. Prints self time by function and by
// package (lib/perf-owners.ts: node_modules/<name>, Node's modules, our apps' dist/ files), as % of the sampled time.
import { readFileSync } from 'node:fs';
import { codeOwner } from './lib/perf-owners.js';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const [file, topArg] = process.argv.slice(2).filter((a, i, all) => a !== '--stacks' && all[i - 1] !== '--stacks');
if (!file) throw new Error('usage: tsx profile-summary.ts <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native / V8)';
  return codeOwner(url) ?? url;
}

const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const n = byId.get(id)!;
  const { functionName, url, lineNumber } = n.callFrame;
  const p = packageOf(url, functionName);
  const key = `${functionName || '(anonymous)'} ${p}:${lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + ms);
  pkg.set(p, (pkg.get(p) ?? 0) + ms);
}
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * ms) / total).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.log(`${file}: ${total.toFixed(0)} ms sampled`);
show('self time by package', pkg);
show('self time by function', fn);

// `--stacks <functionName>`: the heaviest call stacks that end in that function (who calls it).
const stacksIndex = process.argv.indexOf('--stacks');
if (stacksIndex > 0) {
  const target = process.argv[stacksIndex + 1];
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stacks = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    if (byId.get(id)!.callFrame.functionName !== target) continue;
    const frames: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined && frames.length < 12; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      frames.push(`${f.functionName || '(anon)'}@${packageOf(f.url, f.functionName)}:${f.lineNumber + 1}`);
    }
    const key = frames.join(' < ');
    stacks.set(key, (stacks.get(key) ?? 0) + ms);
  }
  show(`stacks ending in ${target}`, stacks);
}
