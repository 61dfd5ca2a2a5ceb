import { defineConfig } from 'vitest/config';

// Tests that change the whole engine (e.g. take its address pool) run alone, after the rest.
export default defineConfig({
  test: {
    // Fails the run if a test wrote into the working tree.
    globalSetup: ['test/support/working-tree-guard.ts'],
    include: ['test/serial/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    testTimeout: 120_000,
  },
});
