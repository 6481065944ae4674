// lib/callgrind.ts against a real valgrind: a small HTTP server counted while it answers requests
// that do a known amount of work. No numbers are asserted beyond "more work, more instructions".
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { callgrindArgs, callgrindControl, instructionsIn, readDump } from './callgrind.js';

const hasValgrind = spawnSync('valgrind', ['--version']).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'callgrind-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reads the totals line of a dump, and refuses a file without one', () => {
  expect(instructionsIn('version: 1\nevents: Ir\nsummary: 0\nfn=(1) main\n3 10\ntotals: 123456\n')).toBe(123456);
  expect(() => instructionsIn('events: Ir\nsummary: 99\n')).toThrow(/no totals line/);
});

it.skipIf(!hasValgrind)(
  'counts only while switched on, per dump, and more work counts more instructions',
  async () => {
    const server = path.join(dir, 'server.cjs');
    // Each request runs a loop as long as its query string says.
    writeFileSync(
      server,
      `require('node:http').createServer((req, res) => {
        const n = Number(new URL(req.url, 'http://x').searchParams.get('n'));
        let x = 0; for (let i = 0; i < n; i++) x = (x + i * 7) % 1000003;
        res.end(String(x));
      }).listen(0, '127.0.0.1', function () { process.stdout.write(this.address().port + '\\n'); });`,
    );
    const outFile = path.join(dir, 'cg.out');
    const child = spawn('valgrind', [...callgrindArgs(outFile), process.execPath, server], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const port = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
      const get = async (n: number, times: number) => {
        for (let i = 0; i < times; i++) await (await fetch(`http://127.0.0.1:${port}/?n=${n}`)).text();
      };
      const counted = async (n: number, times: number) => {
        await callgrindControl(child.pid!, 'on');
        await get(n, times);
        await callgrindControl(child.pid!, 'off');
        await callgrindControl(child.pid!, 'dump');
      };
      await get(1000, 20); // uncounted: the warm-up
      await counted(1000, 10);
      await counted(1_000_000, 10);
      await get(10_000_000, 5); // uncounted, five times the work of the dump before and after it
      await counted(1_000_000, 10);
      const [small, large, again] = [1, 2, 3].map((n) => readDump(outFile, n));
      expect(small!.mainThread).toBeGreaterThan(0);
      expect(small!.total).toBeGreaterThanOrEqual(small!.mainThread);
      expect(small!.threads).toBeGreaterThan(1); // node's own threads are counted apart
      // Ten requests of a million iterations each: more than ten million instructions more.
      expect(large!.mainThread - small!.mainThread).toBeGreaterThan(10 * 1_000_000);
      expect(small!.mainThread).toBeLessThan(large!.mainThread / 5);
      // The same requests count the same, whatever ran uncounted in between.
      expect(Math.abs(again!.mainThread - large!.mainThread)).toBeLessThan(large!.mainThread * 0.2);
    } finally {
      child.kill('SIGKILL');
    }
  },
  120_000,
);
