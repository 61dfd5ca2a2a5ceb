// The library on the real engine: aborting up() during a build cancels the build on the engine
// while this process lives on (a CLI exit would drop the connection anyway; a library caller does not exit).
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { up } from '../../src/orchestrator/lifecycle/up.js';
import { DockerBackend } from '../../src/runtime/docker/docker-backend.js';
import { buildStepContainers, fixture, leftovers, uniqueRunId } from '../support/cli.js';

describe('aborting a start during a build', () => {
  it('stops the build on the engine and leaves nothing', async () => {
    const runId = uniqueRunId('abortbuild');
    const controller = new AbortController();
    const project = {
      name: 'abortbuild',
      services: { app: { build: { context: fixture('stack-slow-build'), args: { NONCE: runId } }, command: ['sleep', 'infinity'] } },
    };
    const started = up({ runtime: new DockerBackend(), project, runId, signal: controller.signal });
    await expect.poll(() => buildStepContainers(runId), { timeout: 30_000, interval: 250 }).not.toEqual([]);
    controller.abort(new InterruptedError('SIGINT'));
    await expect(started).rejects.toBeInstanceOf(InterruptedError);
    expect(await leftovers(runId)).toEqual([]);
    // The build takes 20 s; cancelled, its step container goes within a few.
    await expect.poll(() => buildStepContainers(runId), { timeout: 10_000, interval: 250 }).toEqual([]);
  }, 60_000);
});
