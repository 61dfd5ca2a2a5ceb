// The order teardown asks for, on an engine whose removals are held: a network goes once every
// workload is cut off, without waiting for their removal, and nothing is removed before it was cut
// off (an engine refuses to detach what it is removing). With a grace, or on a backend without
// `cutOff`, the networks wait for the workloads as before. The real engine's side is in
// test/docker/cut-off.test.ts.
import { describe, expect, it } from 'vitest';
import { teardown } from '../../../src/orchestrator/cleanup/teardown.js';
import { FakeRuntime } from './fake-runtime.js';

/** Records every removal step; `removeWorkload` of `slow` waits until released. */
class RecordingRuntime extends FakeRuntime {
  readonly steps: string[] = [];
  releaseSlow = () => undefined as void;
  private readonly slowRemoval = new Promise<void>((resolve) => (this.releaseSlow = resolve));
  constructor(private readonly slow: string) {
    super();
  }
  override async cutOffContainer(id: string, networks: string[]) {
    this.steps.push(`cut ${this.nameOf(id)} off ${networks.join(',')}`);
    await super.cutOffContainer(id, networks);
  }
  override async removeContainer(id: string) {
    const name = this.nameOf(id);
    this.steps.push(`remove ${name}`);
    if (name === this.slow) await this.slowRemoval;
    await super.removeContainer(id);
    this.steps.push(`removed ${name}`);
  }
  override async removeNetwork(id: string) {
    this.steps.push(`remove network ${id}`);
    await super.removeNetwork(id);
  }
  private nameOf(id: string) {
    return this.containers.get(id)?.spec.name ?? id;
  }
}

async function startStack(runtime: FakeRuntime) {
  await runtime.createNetwork({ name: 'p-r1_default', labels: { 'envtest.run': 'r1' } } as never);
  for (const service of ['api', 'db']) {
    const labels = { 'envtest.run': 'r1', 'envtest.role': 'service', 'envtest.service': service };
    await runtime.startService({ name: service, image: 'x', labels, networks: [{ network: 'p-r1_default', aliases: [] }] } as never);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('teardown cutting workloads off', () => {
  it('removes the network while a workload is still being removed, each workload only once cut off', async () => {
    const runtime = new RecordingRuntime('db');
    await startStack(runtime);
    const removing = teardown(runtime, { 'envtest.run': 'r1' });
    await settle();
    // db's removal is still held, yet its network is gone.
    expect(runtime.networks.size).toBe(0);
    expect(runtime.steps).not.toContain('removed db');
    runtime.releaseSlow();
    const report = await removing;

    for (const name of ['api', 'db']) {
      expect(runtime.steps).toContain(`cut ${name} off p-r1_default`);
      expect(runtime.steps.indexOf(`cut ${name} off p-r1_default`)).toBeLessThan(runtime.steps.indexOf(`remove ${name}`));
    }
    expect(runtime.steps.indexOf('remove network p-r1_default')).toBeGreaterThan(Math.max(runtime.steps.indexOf('cut api off p-r1_default'), runtime.steps.indexOf('cut db off p-r1_default')));
    expect(report.removed).toEqual({ containers: ['api', 'db'], networks: ['p-r1_default'], volumes: [] });
    expect(report.remaining).toBe(0);
  });

  it('cuts nothing off with a grace: the network waits for every removal', async () => {
    const runtime = new RecordingRuntime('db');
    await startStack(runtime);
    const removing = teardown(runtime, { 'envtest.run': 'r1' }, { graceSeconds: 2 });
    await settle();
    expect(runtime.networks.size).toBe(1);
    runtime.releaseSlow();
    await removing;
    expect(runtime.steps.filter((s) => s.startsWith('cut'))).toEqual([]);
    expect(runtime.steps.at(-1)).toBe('remove network p-r1_default');
  });

  it('on a backend without cutOff, removes the network after the workloads', async () => {
    const runtime = new RecordingRuntime('db');
    Object.defineProperty(runtime, 'cutOff', { value: undefined });
    await startStack(runtime);
    const removing = teardown(runtime, { 'envtest.run': 'r1' });
    await settle();
    expect(runtime.networks.size).toBe(1);
    runtime.releaseSlow();
    const report = await removing;
    expect(runtime.steps.at(-1)).toBe('remove network p-r1_default');
    expect(report.remaining).toBe(0);
  });

  it('a failed cut-off still ends with the workload and its network removed', async () => {
    const runtime = new RecordingRuntime('none');
    runtime.cutOffContainer = () => Promise.reject(new Error('engine said no'));
    await startStack(runtime);
    const report = await teardown(runtime, { 'envtest.run': 'r1' });
    expect(report.failed).toEqual([]);
    expect(report.remaining).toBe(0);
  });
});
