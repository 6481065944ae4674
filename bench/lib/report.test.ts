// The table's rounds column: the spread of a figure's rounds and in how many of them its target
// was met, in the direction the figure is read (higher or lower is better).
import { describe, expect, it } from 'vitest';
import { fromRounds } from './alternate.js';
import { roundsCell, svg, table, type Figure } from './report.js';

const figure = (over: Partial<Figure>): Figure => ({
  id: 'x',
  title: 'x',
  ratioDefinition: 'x',
  value: null,
  target: 0.95,
  better: 'higher',
  detail: '',
  ...over,
});

describe('rounds column', () => {
  it('a higher-is-better figure: range, and the rounds at or above the target', () => {
    const f = figure({ ...fromRounds([0.83, 0.9, 0.78, 0.96, 0.95]) });
    expect(f.value).toBe(0.9);
    expect(roundsCell(f)).toBe('0.78–0.96; met in 2/5');
  });

  it('a lower-is-better figure counts the rounds at or below the target', () => {
    const f = figure({ target: 2.5, better: 'lower', ...fromRounds([4.9, 2.4, 2.5, 6.1, 3]) });
    expect(f.value).toBe(3);
    expect(roundsCell(f)).toBe('2.40–6.10; met in 2/5');
  });

  it('without a target only the range; without rounds a dash', () => {
    expect(roundsCell(figure({ target: null, ...fromRounds([1.26, 0.97, 1.02]) }))).toBe('0.97–1.26');
    expect(roundsCell(figure({ value: 12.1, target: 100, better: 'lower' }))).toBe('—');
  });

  it('one row per figure under a header of six columns', () => {
    const rows = table([figure({ ...fromRounds([0.8, 0.9]) }), figure({ target: null, value: 1 })]).split('\n');
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.split('|')).toHaveLength(8); // 6 cells between 7 bars
    expect(rows[2]).toContain('| 0.80–0.90; met in 0/2 |');
  });

  it('the chart draws one whisker per figure with rounds', () => {
    const chart = svg([figure({ ...fromRounds([0.8, 0.9]) }), figure({ value: 12, target: 100, better: 'lower' })], 'c');
    expect(chart.match(/<line [^>]*stroke-width="1.5"/g)).toHaveLength(1);
  });
});
