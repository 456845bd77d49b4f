import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql@16 ships CJS (main) and ESM (module) builds. Node, and so yoga, loads the
    // CJS one; Vite would give our sources the ESM one, and two graphql instances
    // break `instanceof GraphQLError` and schema checks. Use Node's choice everywhere.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Every log line of the run is checked for the test secrets once all files have run.
    globalSetup: ['test/support/logCheck.ts'],
    setupFiles: ['test/support/logCapture.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
