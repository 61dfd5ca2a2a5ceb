// The order teardown asks for, on an engine that behaves as Docker does about attachments: a
// network with something attached cannot be removed ("active endpoints"), and a container being
// removed cannot be detached. A network goes once every workload is cut off, without waiting for
// their removal; nothing is removed before it was cut off; a workload whose cut-off failed holds
// the networks until it is removed. With a grace, or on a backend without `cutOff`, the networks
// wait for the workloads as before. The real engine's side is in test/docker/cut-off.test.ts.
import { describe, expect, it } from 'vitest';
import { teardown } from '../../../src/orchestrator/cleanup/teardown.js';
import type { ResourceSummary } from '../../../src/runtime/runtime.js';
import { FakeRuntime } from './fake-runtime.js';

const NETWORK = 'p-r1_default';

/** Records every removal step; removing `slow` waits until released; cutting off `refused` fails. */
class AttachmentsRuntime extends FakeRuntime {
  readonly steps: string[] = [];
  readonly attached = new Set<string>();
  private readonly removing = new Set<string>();
  releaseSlow = () => undefined as void;
  private readonly slowRemoval = new Promise<void>((resolve) => (this.releaseSlow = resolve));
  constructor(private readonly roles: { slow?: string; refused?: string } = {}) {
    super();
  }
  override async cutOffContainer(id: string, networks: ResourceSummary[]) {
    const name = this.nameOf(id);
    this.steps.push(`cut ${name} off ${networks.map((n) => n.name).join(',')}`);
    if (name === this.roles.refused) throw new Error('engine said no');
    if (this.removing.has(id)) throw new Error(`container ${id} is marked for removal and cannot be connected or disconnected to the network`);
    await super.cutOffContainer(id, networks);
    if (networks.some((n) => n.name === NETWORK)) this.attached.delete(id);
  }
  override async removeContainer(id: string) {
    const name = this.nameOf(id);
    this.removing.add(id);
    this.steps.push(`remove ${name}`);
    if (name === this.roles.slow) await this.slowRemoval;
    await super.removeContainer(id);
    this.attached.delete(id);
    this.steps.push(`removed ${name}`);
  }
  override async removeNetwork(id: string) {
    this.steps.push(`remove network ${id}`);
    if (this.attached.size > 0) throw new Error(`error while removing network: network ${id} has active endpoints`);
    await super.removeNetwork(id);
  }
  private nameOf(id: string) {
    return this.containers.get(id)?.spec.name ?? id;
  }
}

async function startStack(runtime: AttachmentsRuntime) {
  await runtime.createNetwork({ name: NETWORK, labels: { 'envtest.run': 'r1' } } as never);
  for (const service of ['api', 'db']) {
    const labels = { 'envtest.run': 'r1', 'envtest.role': 'service', 'envtest.service': service };
    runtime.attached.add(await runtime.startService({ name: service, image: 'x', labels, networks: [{ network: NETWORK, aliases: [] }] } as never));
  }
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('teardown cutting workloads off', () => {
  it('removes the network while a workload is still being removed, each workload only once cut off', async () => {
    const runtime = new AttachmentsRuntime({ slow: 'db' });
    await startStack(runtime);
    const removing = teardown(runtime, { 'envtest.run': 'r1' });
    await settle();
    // db's removal is still held, yet its network is gone.
    expect(runtime.networks.size).toBe(0);
    expect(runtime.steps).not.toContain('removed db');
    runtime.releaseSlow();
    const report = await removing;

    for (const name of ['api', 'db']) {
      expect(runtime.steps.indexOf(`cut ${name} off ${NETWORK}`)).toBeGreaterThanOrEqual(0);
      expect(runtime.steps.indexOf(`cut ${name} off ${NETWORK}`)).toBeLessThan(runtime.steps.indexOf(`remove ${name}`));
    }
    expect(report.removed).toEqual({ containers: ['api', 'db'], networks: [NETWORK], volumes: [] });
    expect(report.failed).toEqual([]);
    expect(report.remaining).toBe(0);
  });

  it('a workload that could not be cut off holds the network until it is removed, and nothing fails', async () => {
    const runtime = new AttachmentsRuntime({ slow: 'db', refused: 'db' });
    await startStack(runtime);
    const removing = teardown(runtime, { 'envtest.run': 'r1' });
    await settle();
    expect(runtime.steps).not.toContain(`remove network ${NETWORK}`);
    runtime.releaseSlow();
    const report = await removing;
    expect(runtime.steps.indexOf(`remove network ${NETWORK}`)).toBeGreaterThan(runtime.steps.indexOf('removed db'));
    expect(report.failed).toEqual([]);
    expect(report.remaining).toBe(0);
  });

  it('cuts nothing off with a grace: the network waits for every removal', async () => {
    const runtime = new AttachmentsRuntime({ slow: 'db' });
    await startStack(runtime);
    const removing = teardown(runtime, { 'envtest.run': 'r1' }, { graceSeconds: 2 });
    await settle();
    expect(runtime.networks.size).toBe(1);
    runtime.releaseSlow();
    const report = await removing;
    expect(runtime.steps.filter((s) => s.startsWith('cut'))).toEqual([]);
    expect(runtime.steps.at(-1)).toBe(`remove network ${NETWORK}`);
    expect(report.failed).toEqual([]);
  });

  it('on a backend without cutOff, removes the network after the workloads', async () => {
    const runtime = new AttachmentsRuntime({ slow: 'db' });
    Object.defineProperty(runtime, 'cutOff', { value: undefined });
    await startStack(runtime);
    const removing = teardown(runtime, { 'envtest.run': 'r1' });
    await settle();
    expect(runtime.networks.size).toBe(1);
    runtime.releaseSlow();
    const report = await removing;
    expect(runtime.steps.at(-1)).toBe(`remove network ${NETWORK}`);
    expect(report.failed).toEqual([]);
    expect(report.remaining).toBe(0);
  });
});
