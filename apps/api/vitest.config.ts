// Two projects: `unit` (src/**/*.test.ts, fast, no server) and `integration`
// (test/**/*.test.ts: a real API on a real database, embedded or PostgreSQL — see
// scripts/test-integration.mjs, which runs it once per database kind).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          // Each file starts databases and servers; PGlite's first start alone takes ~1 s.
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // The machine has 2 cores and every file runs its own PGlite (WebAssembly) + API.
          maxWorkers: 2,
        },
      },
    ],
  },
});
