// Container samples on the real engine: a full one (CPU measured over the engine's second), one
// taken at once (memory, no CPU), and one dropped by its signal (nothing, and no request left open).
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../src/runtime/docker/docker-runtime.js';
import { docker, leftovers, uniqueRunId } from '../support/cli.js';

const runtime = new DockerRuntime();
const runId = uniqueRunId('stats');

afterAll(async () => {
  const ids = await leftovers(runId);
  if (ids.length) await execa('docker', ['rm', '-f', ...ids], { reject: false });
});

describe('DockerRuntime.stats', () => {
  it('samples in full, at once, or not at all when aborted', async () => {
    const id = (await docker(['run', '-d', '--label', `envtest.run=${runId}`, 'envtest/base:bookworm', 'sleep', '300'])).trim();
    const full = await runtime.stats(id);
    expect(full?.memoryBytes).toBeGreaterThan(0);
    expect(typeof full?.cpuPercent).toBe('number');
    const now = await runtime.stats(id, { now: true });
    expect(now?.memoryBytes).toBeGreaterThan(0);
    expect(now).not.toHaveProperty('cpuPercent');
    const controller = new AbortController();
    const dropped = runtime.stats(id, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('run over')), 50);
    expect(await dropped).toBeUndefined();
  });
});
