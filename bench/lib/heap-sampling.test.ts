import { describe, expect, it } from 'vitest';
import { allocationOwners, type SamplingHeapProfileNode } from './heap-sampling.js';

const node = (url: string, selfSize: number, children: SamplingHeapProfileNode[] = []): SamplingHeapProfileNode => ({
  callFrame: { functionName: 'f', url, lineNumber: 0, columnNumber: 0 },
  selfSize,
  children,
});

describe('allocation owners', () => {
  it("sums each frame's own bytes by whose code it is, callers not charged, largest first", () => {
    const pg = 'file:///r/node_modules/.pnpm/pg@8.23.1/node_modules/pg/lib/client.js';
    const profile = {
      head: node('', 0, [
        node('file:///r/apps/api/dist/auth/sessions.js', 100, [node(pg, 300), node('', 50)]),
        node(pg, 200, [node('node:internal/streams/writable', 70)]),
        node('evalmachine.<anonymous>', 10),
      ]),
    };
    expect(allocationOwners(profile)).toEqual([
      { owner: 'pg', bytes: 500 },
      { owner: 'ours: apps/api/auth/sessions.js', bytes: 100 },
      { owner: 'node: streams', bytes: 70 },
      { owner: '(native: V8 builtins and Node bindings)', bytes: 50 },
      { owner: 'other JavaScript', bytes: 10 },
    ]);
  });
});
