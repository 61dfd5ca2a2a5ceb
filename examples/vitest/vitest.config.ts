import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Building and starting the shop takes a while on a cold engine.
  test: { testTimeout: 300_000 },
});
