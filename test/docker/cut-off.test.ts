// Cutting a workload off on the real engine: killed and taken off the networks it was given, while
// it still exists, so those networks can be removed before it is. Networks it was not given keep it;
// an exited or a removed workload is no error. Read back through the docker CLI.
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerBackend } from '../../src/runtime/docker/docker-backend.js';
import type { ResourceSummary } from '../../src/runtime/runtime.js';
import { docker, leftovers, uniqueRunId } from '../support/cli.js';

const backend = new DockerBackend();
const runId = uniqueRunId('cutoff');
const label = `envtest.run=${runId}`;
const names = ['a', 'b', 'kept'].map((n) => `${runId}-${n}`);

const networksOf = async (id: string) => Object.keys(JSON.parse(await docker(['inspect', '-f', '{{json .NetworkSettings.Networks}}', id])) as object).sort();
/** A network as teardown has it from `list`. */
const summary = (id: string, name: string): ResourceSummary => ({ id, name, labels: { 'envtest.run': runId } });
const attachedTo = async (network: string) => Object.keys(JSON.parse(await docker(['network', 'inspect', '-f', '{{json .Containers}}', network])) as object);

afterAll(async () => {
  const containers = (await docker(['ps', '-aq', '--filter', `label=${label}`])).split('\n').filter(Boolean);
  if (containers.length) await execa('docker', ['rm', '-f', ...containers], { reject: false });
  for (const n of names) await execa('docker', ['network', 'rm', n], { reject: false });
  expect(await leftovers(runId)).toEqual([]);
});

describe('DockerBackend.cutOff', () => {
  it('kills a running workload and detaches it from the given networks only, which can then go while it still exists', async () => {
    const [a, b] = await Promise.all(names.map((name) => docker(['network', 'create', '--internal', '--label', label, name]).then((s) => summary(s.trim(), name))));
    const running = (await docker(['run', '-d', '--label', label, '--network', names[0]!, 'envtest/base:bookworm', 'sleep', '300'])).trim();
    await docker(['network', 'connect', names[1]!, running]);
    await docker(['network', 'connect', names[2]!, running]);

    await backend.cutOff(running, [a!, b!]);

    expect((await docker(['inspect', '-f', '{{.State.Running}} {{.State.ExitCode}}', running])).trim()).toBe('false 137');
    expect(await networksOf(running)).toEqual([names[2]]);
    expect(await attachedTo(names[0]!)).toEqual([]);
    expect(await attachedTo(names[1]!)).toEqual([]);
    // Removed while the workload is still there, which the engine refuses for a network in use.
    await docker(['network', 'rm', names[0]!, names[1]!]);
    expect((await docker(['inspect', '-f', '{{.State.Status}}', running])).trim()).toBe('exited');
  });

  it('is no error for a workload that already exited, nor for one already removed', async () => {
    const network = summary((await docker(['network', 'create', '--internal', '--label', label, `${runId}-x`])).trim(), `${runId}-x`);
    names.push(`${runId}-x`);
    const exited = (await docker(['run', '-d', '--label', label, '--network', `${runId}-x`, 'envtest/base:bookworm', 'true'])).trim();
    await docker(['wait', exited]);
    await backend.cutOff(exited, [network]);
    expect(await networksOf(exited)).toEqual([]);

    await docker(['rm', exited]);
    await expect(backend.cutOff(exited, [network])).resolves.toBeUndefined();
  });
});
