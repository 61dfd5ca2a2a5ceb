import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Fails the run if a test wrote into the working tree.
    globalSetup: ['test/support/working-tree-guard.ts'],
    include: ['test/**/*.test.ts'],
    exclude: ['test/serial/**', 'test/swarm/**', '**/node_modules/**'],
    // Docker and e2e tests share one engine on a 2-core machine: run files in a small pool.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
