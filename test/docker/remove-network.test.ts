// Removing a run's network on the real engine: one call when nothing is attached any more (the
// usual case, after teardown removed the containers), and still removed when a container is
// attached, even one envtest did not make (it is disconnected first, and left running).
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../src/runtime/docker/docker-runtime.js';
import { docker, leftovers, uniqueRunId } from '../support/cli.js';

const runtime = new DockerRuntime();
const runId = uniqueRunId('rmnet');
const labels = { 'envtest.run': runId, 'envtest.project': 'p' };

const networkExists = async (name: string) => (await execa('docker', ['network', 'inspect', name], { reject: false })).exitCode === 0;

afterAll(async () => {
  const ids = await leftovers(runId);
  if (ids.length) await execa('docker', ['rm', '-f', ...ids], { reject: false });
  for (const n of [`${runId}-empty`, `${runId}-busy`]) await execa('docker', ['network', 'rm', n], { reject: false });
});

describe('DockerRuntime.removeNetwork', () => {
  it('removes a network nothing is attached to, and one with a container still attached, which stays running', async () => {
    const empty = await runtime.createNetwork({ name: `${runId}-empty`, labels, internal: true });
    await runtime.removeNetwork(empty);
    expect(await networkExists(`${runId}-empty`)).toBe(false);

    const busy = await runtime.createNetwork({ name: `${runId}-busy`, labels, internal: true });
    // Not made by envtest's runtime: a container someone attached by hand.
    const other = (await docker(['run', '-d', '--label', `envtest.run=${runId}`, '--network', `${runId}-busy`, 'envtest/base:bookworm', 'sleep', '300'])).trim();
    await runtime.removeNetwork(busy);
    expect(await networkExists(`${runId}-busy`)).toBe(false);
    expect((await docker(['inspect', '-f', '{{.State.Running}}', other])).trim()).toBe('true');
    // Removing it again is not an error: it is gone, which is what was asked.
    await runtime.removeNetwork(busy);
  });
});
