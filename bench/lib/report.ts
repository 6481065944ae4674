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
const met = (f: Figure) =>
  f.value === null || f.target === null ? '—' : (f.better === 'higher' ? f.value >= f.target : f.value <= f.target) ? 'yes' : 'no';

export function table(figures: Figure[]): string {
  const rows = figures.map(
    (f) =>
      `| ${f.title} | ${fmt(f.value)} | ${f.target === null ? '—' : `${f.better === 'higher' ? '≥' : '≤'} ${f.target}`} | ${met(f)} | ${f.detail} |`,
  );
  return ['| figure | ratio | target | met | medians (this run) |', '|---|---|---|---|---|', ...rows].join('\n');
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
    return [
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(f.title)}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="18" fill="${colour}"/>`,
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 16}">${fmt(f.value)} (target ${f.better === 'higher' ? '≥' : '≤'} ${f.target})</text>`,
    ].join('\n  ');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="10" y="20" font-size="14" font-weight="bold">${esc(caption)}</text>
  ${bars.join('\n  ')}
  <line x1="${x100.toFixed(1)}" y1="34" x2="${x100.toFixed(1)}" y2="${height - 24}" stroke="#333" stroke-dasharray="4 3"/>
  <text x="${x100.toFixed(1)}" y="${height - 8}" text-anchor="middle">target</text>
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
