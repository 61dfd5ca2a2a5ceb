import { defineConfig } from 'vitest/config';

// test/swarm: a real three-node swarm (scripts/swarm-lab.sh) shared by every file, brought up once.
// Files run one at a time: the lab's nine dockerd-owned processes already load a 2-core machine.
export default defineConfig({
  test: {
    globalSetup: ['test/support/working-tree-guard.ts', 'test/swarm/support/global-setup.ts'],
    include: ['test/swarm/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
