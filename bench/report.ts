// Prints a benchmark's comparison and writes it to bench/results/<name>.json.
import { mkdir, writeFile } from 'node:fs/promises';

export type Sample = { label: string; ms: number[] };

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function report(name: string, question: string, a: Sample, b: Sample): Promise<void> {
  const ratio = median(a.ms) / median(b.ms);
  const result = {
    name,
    question,
    date: new Date().toISOString(),
    samples: a.ms.length,
    [a.label]: { medianMs: median(a.ms) },
    [b.label]: { medianMs: median(b.ms) },
    ratio: Number(ratio.toFixed(3)),
  };
  console.log(`\n${name}: ${question}`);
  console.log(`  ${a.label}: median ${median(a.ms).toFixed(3)} ms`);
  console.log(`  ${b.label}: median ${median(b.ms).toFixed(3)} ms`);
  console.log(`  ratio ${a.label}/${b.label} = ${ratio.toFixed(3)}`);
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(new URL(`./results/${name}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
}
