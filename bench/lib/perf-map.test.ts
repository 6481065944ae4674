import { describe, expect, it } from 'vitest';
import { formatPerfMap, latestPerfMap, parsePerfMap } from './perf-map.js';

/** The name a map gives an address, as `perf` reads it: the first entry (in file order) covering it. */
function perfName(text: string, address: bigint): string | undefined {
  return parsePerfMap(text).find((e) => e.start <= address && address < e.start + e.size)?.name;
}

describe('latestPerfMap', () => {
  it('names reused code by its latest entry, where perf would take the first', () => {
    const v8 = [
      '1000 a0 Eval:~ visitor.js:1:1', // a module's top level, run once, then freed
      '2000 40 JS:*hot a.js:1:1',
      '1000 80 JS:^_pulseQueue pg-pool/index.js:127:14', // new code at the freed address
      '1080 20 JS:^queueCallback pg-pool/index.js:211:29',
      '',
    ].join('\n');
    expect(perfName(v8, 0x1010n)).toBe('Eval:~ visitor.js:1:1'); // what perf shows without the rewrite
    const rewritten = formatPerfMap(latestPerfMap(parsePerfMap(v8)));
    expect(perfName(rewritten, 0x1010n)).toBe('JS:^_pulseQueue pg-pool/index.js:127:14');
    expect(perfName(rewritten, 0x1090n)).toBe('JS:^queueCallback pg-pool/index.js:211:29');
    expect(perfName(rewritten, 0x2010n)).toBe('JS:*hot a.js:1:1');
    expect(rewritten).not.toContain('visitor.js');
  });

  it('keeps the parts of an older entry that newer code does not cover, and sorts without overlaps', () => {
    // Hexadecimal, as in the file: 0x100 bytes at 0x100, then 0x20 at 0x140.
    const map = latestPerfMap(parsePerfMap('100 100 old\n140 20 new\n'));
    expect(formatPerfMap(map)).toBe('100 40 old\n140 20 new\n160 a0 old\n');
  });

  it('agrees with a byte-by-byte replay of random maps', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const lines = Array.from(
        { length: 1 + random(12) },
        (_, i) => `${(0x100 + random(64)).toString(16)} ${(1 + random(24)).toString(16)} f${i}`,
      );
      const text = `${lines.join('\n')}\n`;
      const latest = new Map<number, string>();
      for (const e of parsePerfMap(text)) for (let a = Number(e.start); a < Number(e.start + e.size); a++) latest.set(a, e.name);
      const rewritten = formatPerfMap(latestPerfMap(parsePerfMap(text)));
      for (let a = 0xf0; a < 0x1a0; a++) expect(perfName(rewritten, BigInt(a)), `round ${round}, address ${a}`).toBe(latest.get(a));
      const entries = parsePerfMap(rewritten);
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.start >= entries[i - 1]!.start + entries[i - 1]!.size).toBe(true);
    }
  });
});
