// The reaper asks for the host's network (no namespace to make: a faster start on every run's
// critical path) and, where the engine refuses it (user namespaces remapped), runs without any.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startReaper } from '../../../src/orchestrator/cleanup/reaper.js';
import type { Backend, Job, JobSpec } from '../../../src/runtime/backend.js';

function engine(refusesHostNetwork: boolean) {
  const asked: JobSpec[] = [];
  const runtime = {
    endpoint: 'unix:///var/run/docker.sock',
    engineSocketPaths: () => ['/var/run/docker.sock'],
    imageExists: async () => true,
    startJob: async (spec: JobSpec): Promise<Job> => {
      asked.push(spec);
      if (spec.hostNetwork && refusesHostNetwork) throw new Error('Cannot share the host\'s network namespace when user namespaces are enabled');
      const output = new PassThrough();
      output.write(`${JSON.stringify({ watching: 'r1', graceMs: 2000 })}\n`);
      return { id: 'reaper-1', held: { output, close: () => undefined } } as unknown as Job;
    },
  } as unknown as Backend;
  return { runtime, asked };
}

describe('the reaper’s network', () => {
  it('is the host’s, and the reaper finds its own container by a label only it carries', async () => {
    const { runtime, asked } = engine(false);
    const reaper = await startReaper(runtime, 'r1', 'p', { image: 'envtest/sidecar:latest' });
    expect(reaper?.containerId).toBe('reaper-1');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ hostNetwork: true, networks: [] });
    const self = asked[0]!.env!.ENVTEST_REAPER_SELF!;
    const [key, value] = self.split('=');
    expect(asked[0]!.labels[key!]).toBe(value);
  });

  it('is none where the engine refuses the host’s: the run keeps its reaper', async () => {
    const { runtime, asked } = engine(true);
    const reaper = await startReaper(runtime, 'r1', 'p', { image: 'envtest/sidecar:latest' });
    expect(reaper?.containerId).toBe('reaper-1');
    expect(asked.map((s) => [s.hostNetwork, s.isolated])).toEqual([[true, undefined], [undefined, true]]);
  });
});
