// Alternation: a warm-up of every side (until it has served a count of operations: see
// settings.warmupOperations), then rounds of A B (B A, …), so that drift in the machine's load
// (colleagues share the cores) lands on every side alike. Figures are medians over rounds.
import { log, type Settings } from './settings.js';
import { median, round } from './stats.js';

export type Measurement = { perSecond: number; p50Ms: number; p99Ms: number; errors: number; extra?: Record<string, number> };
export type Side = { label: string; measure(seconds: number): Promise<Measurement> };
export type SideSummary = {
  label: string;
  rounds: Measurement[];
  medianPerSecond: number;
  medianP50Ms: number;
  medianP99Ms: number;
  errors: number;
  extra?: Record<string, number>;
};

export async function alternate(figure: string, sides: Side[], settings: Settings): Promise<Record<string, SideSummary>> {
  await warmUp(figure, sides, settings);
  const rounds = new Map<string, Measurement[]>(sides.map((s) => [s.label, []]));
  for (let r = 0; r < settings.rounds; r++) {
    // The order turns each round and runs backwards every other round (A B C, C B A … then B C A,
    // A C B …): no side always runs first or right after the same neighbour, so position effects
    // (GC, a previous side's lingering load) spread over all sides.
    const turned = sides.map((_, i) => sides[(i + Math.floor(r / 2)) % sides.length]!);
    const order = r % 2 ? turned.reverse() : turned;
    for (const side of order) {
      await new Promise((resolve) => setTimeout(resolve, 250)); // let the previous side's work drain
      const m = await side.measure(settings.seconds);
      rounds.get(side.label)!.push(m);
      log(
        `${figure}: round ${r + 1}/${settings.rounds} ${side.label}: ${m.perSecond.toFixed(1)}/s p50 ${m.p50Ms.toFixed(2)} ms p99 ${m.p99Ms.toFixed(2)} ms errors ${m.errors}`,
      );
    }
  }
  const out: Record<string, SideSummary> = {};
  for (const side of sides) {
    const ms = rounds.get(side.label)!;
    const extraKeys = Object.keys(ms[0]?.extra ?? {});
    out[side.label] = {
      label: side.label,
      rounds: ms,
      medianPerSecond: median(ms.map((m) => m.perSecond)),
      medianP50Ms: median(ms.map((m) => m.p50Ms)),
      medianP99Ms: median(ms.map((m) => m.p99Ms)),
      errors: ms.reduce((n, m) => n + m.errors, 0),
      ...(extraKeys.length ? { extra: Object.fromEntries(extraKeys.map((k) => [k, median(ms.map((m) => m.extra![k]!))])) } : {}),
    };
  }
  return out;
}

/**
 * Every side serves `warmupSeconds` of load, then more, a window of `seconds` at a time, until it
 * has served `warmupOperations` or `warmupMaxSeconds` have passed. The sides take turns window by
 * window, so that none sits idle for long between its warm-up and its rounds. Each window's rate
 * is logged: the warm-up's trend is there to read.
 */
async function warmUp(figure: string, sides: Side[], settings: Settings): Promise<void> {
  log(`${figure}: warm-up, each side until ${settings.warmupOperations} operations or ${settings.warmupMaxSeconds} s`);
  const warm = sides.map(() => ({ seconds: 0, operations: 0, rates: [] as number[] }));
  const window = async (i: number, seconds: number) => {
    const m = await sides[i]!.measure(seconds);
    const w = warm[i]!;
    w.seconds += seconds;
    w.operations += m.perSecond * seconds;
    w.rates.push(m.perSecond);
    log(
      `${figure}: warm-up ${sides[i]!.label}: ${round(w.seconds)} s, ${m.perSecond.toFixed(1)}/s, ${Math.round(w.operations)} operations`,
    );
  };
  const done = (i: number) => warm[i]!.operations >= settings.warmupOperations || warm[i]!.seconds >= settings.warmupMaxSeconds;
  for (const i of sides.keys()) await window(i, settings.warmupSeconds);
  while (sides.some((_, i) => !done(i))) {
    for (const i of sides.keys()) if (!done(i)) await window(i, settings.seconds);
  }
  for (const [i, side] of sides.entries()) {
    log(`${figure}: warmed ${side.label}: rate per window ${warm[i]!.rates.map((r) => r.toFixed(0)).join(' ')}/s`);
  }
}

/** A ÷ B in each round, in round order (both sides ran in the same round, one after the other). */
function roundRatios(a: SideSummary, b: SideSummary, metric: 'perSecond' | 'p50Ms' | 'p99Ms'): number[] {
  return a.rounds.map((m, i) => m[metric] / b.rounds[i]![metric]);
}

/**
 * A figure: the median over rounds of (A's value ÷ B's value) in the SAME round, and every round's
 * ratio (`Figure.rounds`). Pairing sides within a round cancels most of the drift of a shared
 * machine; the rounds show what it does not cancel, so that a median that lands near its target is
 * read together with the noise around it. Each side's own medians are reported too.
 */
export function paired(a: SideSummary, b: SideSummary, metric: 'perSecond' | 'p50Ms' | 'p99Ms') {
  return fromRounds(roundRatios(a, b, metric));
}

/** A figure formed per round some other way: its median and its rounds, as `paired`. */
export function fromRounds(ratios: number[]) {
  return { value: round(median(ratios)), rounds: ratios.map((r) => round(r)) };
}
