import { describe, expect, it } from 'vitest';
import { timedCalls, type CallTimer } from '../../../src/runtime/timed-calls.js';
import { FakeRuntime } from '../orchestrator/fake-runtime.js';

class Engine extends FakeRuntime {
  override async inspectImage(ref?: string) {
    if (ref === 'missing') throw new Error('no such image');
    return { id: 'sha256:1', repoDigests: [], labels: {} };
  }
}

describe('timedCalls', () => {
  it('reports every engine call with its verb, what it named and whether it failed, and passes results and errors through', async () => {
    const calls: Parameters<CallTimer>[0][] = [];
    const runtime = timedCalls(new Engine(), (c) => calls.push(c));
    expect((await runtime.inspectImage('shop-api'))?.id).toBe('sha256:1');
    await expect(runtime.inspectImage('missing')).rejects.toThrow('no such image');
    await runtime.createNetwork({ name: 'net-1', labels: {}, internal: true });
    const id = 'a'.repeat(64);
    await runtime.removeVolume(id);
    expect(calls.map(({ ms: _ms, ...c }) => c)).toEqual([
      { verb: 'inspectImage', subject: 'shop-api' },
      { verb: 'inspectImage', subject: 'missing', failed: true },
      { verb: 'createNetwork', subject: 'net-1' },
      { verb: 'removeVolume', subject: 'a'.repeat(12) },
    ]);
    for (const c of calls) expect(c.ms).toBeGreaterThanOrEqual(0);
    // Plain properties are not calls.
    expect(runtime.endpoint).toBe(new Engine().endpoint);
  });
});
