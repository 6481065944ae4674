// The run's outputs: a table on stdout, bench/results/<name>.json, bench/results/<name>.svg and the
// table in bench/README.md (between markers, so the prose around it stays).
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR } from './processes.js';
import { round } from './stats.js';

export type Figure = {
  id: string;
  title: string;
  /** How the ratio is formed, in words (the direction is part of the result). */
  ratioDefinition: string;
  value: number | null;
  /** The issue's target, and whether a higher or a lower value is better. */
  target: number | null;
  better: 'higher' | 'lower';
  detail: string;
  errors?: number;
  /** The ratio of each round, when the figure is formed per round (its value is their median). */
  rounds?: number[];
};

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

const fmt = (x: number | null, digits = 2) => (x === null || Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
const meets = (f: Figure, x: number) => (f.better === 'higher' ? x >= f.target! : x <= f.target!);
const met = (f: Figure) => (f.value === null || f.target === null ? '—' : meets(f, f.value) ? 'yes' : 'no');

/**
 * How the rounds spread: the lowest and highest round's ratio, and in how many rounds the target
 * was met. On a shared machine one figure moves by tens of per cent between rounds (the table's
 * header-bytes line compares two identical workloads): a median near its target says little
 * without this column.
 */
export function roundsCell(f: Figure): string {
  if (!f.rounds?.length) return '—';
  const range = `${fmt(Math.min(...f.rounds))}–${fmt(Math.max(...f.rounds))}`;
  if (f.target === null) return range;
  return `${range}; met in ${f.rounds.filter((r) => meets(f, r)).length}/${f.rounds.length}`;
}

export function table(figures: Figure[]): string {
  const rows = figures.map(
    (f) =>
      `| ${f.title} | ${fmt(f.value)} | ${roundsCell(f)} | ${f.target === null ? '—' : `${f.better === 'higher' ? '≥' : '≤'} ${f.target}`} | ${met(f)} | ${f.detail} |`,
  );
  return [
    '| figure | ratio | rounds: lowest–highest; target met in | target | met | medians (this run) |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** One bar per figure: how far the value is towards its target (the line at 100 %); longer is better. */
export function svg(figures: Figure[], caption: string): string {
  const rows = figures.filter((f) => f.value !== null && f.target !== null && f.value > 0);
  const width = 900;
  const labelW = 410;
  const barMax = 360;
  const rowH = 30;
  const height = 50 + rows.length * rowH + 30;
  const scale = 1.5; // the bar area spans 0 … 150 % of the target
  const x100 = labelW + barMax / scale;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const bars = rows.map((f, i) => {
    const progress = f.better === 'higher' ? f.value! / f.target! : f.target! / f.value!;
    const w = Math.max(2, Math.min(scale, progress) * (barMax / scale));
    const y = 40 + i * rowH;
    const colour = progress >= 1 ? '#2e7d32' : '#c62828';
    // The rounds' spread as a whisker over the bar: the lowest and the highest round.
    const xOf = (x: number) =>
      labelW + Math.max(0, Math.min(scale, f.better === 'higher' ? x / f.target! : f.target! / x)) * (barMax / scale);
    const whisker = f.rounds?.length
      ? [
          `<line x1="${xOf(Math.min(...f.rounds)).toFixed(1)}" y1="${y + 12}" x2="${xOf(Math.max(...f.rounds)).toFixed(1)}" y2="${y + 12}" stroke="#111" stroke-width="1.5"/>`,
        ]
      : [];
    return [
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(f.title)}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="18" fill="${colour}"/>`,
      ...whisker,
      `<text x="${(Math.max(labelW + w, ...(f.rounds ?? []).map(xOf)) + 6).toFixed(1)}" y="${y + 16}">${fmt(f.value)} (target ${f.better === 'higher' ? '≥' : '≤'} ${f.target})</text>`,
    ].join('\n  ');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="10" y="20" font-size="14" font-weight="bold">${esc(caption)}</text>
  ${bars.join('\n  ')}
  <line x1="${x100.toFixed(1)}" y1="34" x2="${x100.toFixed(1)}" y2="${height - 24}" stroke="#333" stroke-dasharray="4 3"/>
  <text x="${x100.toFixed(1)}" y="${height - 8}" text-anchor="middle">target</text>
  <text x="10" y="${height - 8}">bar: median of the rounds; black line: lowest to highest round</text>
</svg>
`;
}

export async function writeOutputs(
  name: string,
  result: { figures: Figure[] } & Record<string, unknown>,
  caption: string,
  options: { updateReadme: boolean },
): Promise<void> {
  const results = path.join(BENCH_DIR, 'results');
  await mkdir(results, { recursive: true });
  await writeFile(path.join(results, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(path.join(results, `${name}.svg`), svg(result.figures, caption));
  const readme = path.join(BENCH_DIR, 'README.md');
  const text = await readFile(readme, 'utf8').catch(() => '');
  const start = '<!-- bench:table:start -->';
  const end = '<!-- bench:table:end -->';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (options.updateReadme && i >= 0 && j > i) {
    const block = `${start}\n${caption}\n\n${table(result.figures)}\n${end}`;
    await writeFile(readme, text.slice(0, i) + block + text.slice(j + end.length));
  }
}
