// The port helper prints only when the socket tables change, so a wait that missed its abort would
// never end: a readiness race that once hung a failed start until the test timed out.
import { describe, expect, it } from 'vitest';
import { listenerSnapshots } from '../../../src/orchestrator/ports/listeners.js';
import { FakeRuntime } from './fake-runtime.js';

const target = { runId: 'r1', project: 'p', service: 'api', containerId: 'c0' };

describe('listenerSnapshots', () => {
  it('ends when aborted while the helper is being started, and removes the helper', async () => {
    const controller = new AbortController();
    const runtime = new FakeRuntime();
    const startContainer = runtime.startContainer.bind(runtime);
    runtime.startContainer = async (id: string) => {
      await startContainer(id);
      controller.abort(new Error('the service died'));
    };
    const consume = (async () => {
      for await (const _ of listenerSnapshots(runtime, target, 'node', controller.signal)) return 'snapshot';
      return 'ended';
    })();
    const outcome = await Promise.race([consume.catch((e: Error) => e.message), new Promise((r) => setTimeout(() => r('hung'), 1000))]);
    expect(outcome).toBe('the service died');
    expect(runtime.resourceCount).toBe(0);
  });
});
