import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships CJS (main) and ESM (module) builds. Vite would pick the ESM one for test files
  // while Node gives graphql-ws the CJS one, and a schema built by one is rejected by the other
  // ("Cannot use GraphQLSchema from another module or realm"). One copy for everybody:
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 10_000,
  },
});
