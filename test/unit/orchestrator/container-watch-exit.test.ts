// A one-shot job is done on the engine's `die` event with exit code 0, without the inspect that the
// engine answers only after cleaning up; a failure is still judged on what an inspect says.
import { describe, expect, it } from 'vitest';
import { ContainerFailed, ContainerWatch } from '../../../src/orchestrator/readiness/container-watch.js';
import { judgeReady } from '../../../src/orchestrator/readiness/readiness.js';
import type { Backend, RunChange, ServiceState } from '../../../src/runtime/backend.js';

const running: ServiceState = { id: 'job', name: 'p-r1-migrate', status: 'running', exitCode: 0, restartCount: 0, health: 'none', startedAt: new Date().toISOString() } as ServiceState;

/** An engine whose job exits with `code`: the die event says so at once, an inspect only after `inspectLagMs`. */
function engine(code: number, inspectLagMs: number) {
  let exited = false;
  let announce = (_c: RunChange) => undefined as void;
  const inspects: string[] = [];
  const runtime = {
    serviceState: async () => {
      inspects.push(exited ? 'exited' : 'running');
      if (!exited) return running;
      await new Promise((r) => setTimeout(r, inspectLagMs));
      return { ...running, status: 'exited', exitCode: code };
    },
    async *watchRun(_labels: unknown, signal: AbortSignal) {
      while (!signal.aborted) {
        const change = await new Promise<RunChange | undefined>((resolve) => {
          announce = resolve;
          signal.addEventListener('abort', () => resolve(undefined), { once: true });
        });
        if (change) yield change;
      }
    },
  } as unknown as Backend;
  const exit = () => {
    exited = true;
    announce({ id: 'job', action: 'die', labels: { 'envtest.run': 'r1', exitCode: String(code) } });
  };
  return { runtime, exit, inspects };
}

describe('a one-shot job seen exiting', () => {
  it('exit 0 on the die event: completed at once, the slow inspect after it not waited for', async () => {
    const e = engine(0, 5_000);
    const watch = new ContainerWatch(e.runtime, 'r1');
    const waiting = watch.until('job', judgeReady, { deadline: Date.now() + 10_000, signal: AbortSignal.timeout(10_000) });
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    e.exit();
    expect(await waiting).toBe('completed');
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(e.inspects).toEqual(['running']);
    await watch.close();
  });

  it('a non-zero exit is judged on the inspect (a restart policy may bring it back), and fails naming the code', async () => {
    const e = engine(3, 50);
    const watch = new ContainerWatch(e.runtime, 'r1');
    const waiting = watch.until('job', judgeReady, { deadline: Date.now() + 10_000, signal: AbortSignal.timeout(10_000) });
    await new Promise((r) => setTimeout(r, 20));
    e.exit();
    await expect(waiting).rejects.toThrow(ContainerFailed);
    await expect(waiting).rejects.toThrow('exited with code 3');
    expect(e.inspects).toEqual(['running', 'exited']);
    await watch.close();
  });
});
