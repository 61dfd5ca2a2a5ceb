// Where the benchmark finds the built CLI, its bundles and the example.
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const envtestBin = `${root}bin/envtest.js`;
export const runnerBundle = `${root}dist/sidecar-runner.cjs`;
export const example = { file: `${root}compose/compose.yaml`, checks: `${root}compose/checks` };
export const sidecarImage = 'envtest/sidecar:latest';
export const baseImage = 'envtest/base:bookworm';
