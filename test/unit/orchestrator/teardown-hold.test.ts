// A container whose removal is held (its last resource reading on its way) holds only itself.
import { describe, expect, it } from 'vitest';
import { teardown } from '../../../src/orchestrator/cleanup/teardown.js';
import { FakeRuntime } from './fake-runtime.js';

describe('teardown with a held removal', () => {
  it('removes every other container first, the held one once released, and reports all', async () => {
    const runtime = new FakeRuntime();
    const labels = (service: string) => ({ 'envtest.run': 'r1', 'envtest.role': 'service', 'envtest.service': service });
    const ids: Record<string, string> = {};
    for (const service of ['api', 'gateway', 'db']) {
      ids[service] = await runtime.startService({ name: `p-r1-${service}`, image: 'x', labels: labels(service), networks: [] } as never);
    }
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const removing = teardown(runtime, { 'envtest.run': 'r1' }, { holdRemoval: (id) => (id === ids.gateway ? held : Promise.resolve()) });
    await new Promise((r) => setTimeout(r, 20));
    expect([...runtime.containers.keys()]).toEqual([ids.gateway]);
    release();
    const report = await removing;
    expect(report.removed.containers).toEqual(['p-r1-api', 'p-r1-db', 'p-r1-gateway']);
    expect(report.remaining).toBe(0);
  });
});
