// envtest's own runs of a service's health check, on a virtual clock: the cadence, one run at a
// time, timeouts, a container that dies under a probe, and an abort with a run in flight.
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HealthProbes, probeCommand } from '../../../src/orchestrator/health-probe.js';
import type { Backend, ContainerHealthcheck, ExecSession, ExecSpec, ServiceState as ContainerState } from '../../../src/runtime/backend.js';

const check: ContainerHealthcheck = { test: ['CMD', 'pg_isready'], intervalMs: 30_000, timeoutMs: 2_000 };
const starting: ContainerState = { id: 'c1', name: 'db', status: 'running', exitCode: 0, restartCount: 0, health: 'starting', healthcheck: check, publishedPorts: [] };

/** One scripted run: how long it takes and how it exits (never: it hangs). */
type Run = { ms: number; exit: number | 'never' } | 'refused';

/** An engine whose exec plays `runs` in order (the last one repeats), recording each run. */
function scripted(runs: Run[]) {
  const calls: { at: number; spec: ExecSpec; closed: boolean }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const runtime = {
    exec: async (_id: string, spec: ExecSpec): Promise<ExecSession> => {
      const run = runs[Math.min(calls.length, runs.length - 1)]!;
      const call = { at: Date.now(), spec, closed: false };
      calls.push(call);
      if (run === 'refused') throw new Error('container is not running');
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const exitCode = new Promise<number>((resolve) => {
        if (run.exit !== 'never') setTimeout(() => resolve(run.exit as number), run.ms);
      });
      void exitCode.then(() => inFlight--);
      const stdout = new PassThrough();
      const session: ExecSession = { stdin: new PassThrough(), stdout, stderr: new PassThrough(), exitCode, resize: async () => undefined, close: () => void (call.closed = true) };
      return session;
    },
  } as unknown as Backend;
  return { runtime, calls, maxInFlight: () => maxInFlight };
}

/** A wait that ends when told to, or rejects when the signal aborts (as ContainerWatch.until does). */
function controlledWait(signal: AbortSignal) {
  let end!: (v: string) => void;
  const promise = new Promise<string>((resolve, reject) => {
    end = resolve;
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  return { promise, end };
}

describe('probeCommand', () => {
  it('runs CMD as it is and CMD-SHELL with the image shell, as the engine does', () => {
    expect(probeCommand({ test: ['CMD', 'pg_isready', '-U', 'postgres'] })).toEqual(['pg_isready', '-U', 'postgres']);
    expect(probeCommand({ test: ['CMD-SHELL', 'redis-cli ping | grep -q PONG'] })).toEqual(['/bin/sh', '-c', 'redis-cli ping | grep -q PONG']);
    expect(probeCommand({ test: ['CMD-SHELL', 'Test-Path C:\\ok'], shell: ['pwsh', '-Command'] })).toEqual(['pwsh', '-Command', 'Test-Path C:\\ok']);
  });

  it('has nothing to run for NONE or an empty test', () => {
    expect(probeCommand({ test: ['NONE'] })).toBeUndefined();
    expect(probeCommand({ test: ['CMD'] })).toBeUndefined();
    expect(probeCommand({ test: [] })).toBeUndefined();
  });
});

describe('HealthProbes', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('runs the check every 100 ms from the start until one run passes, then wakes the waiters and stops', async () => {
    const engine = scripted([{ ms: 20, exit: 1 }, { ms: 20, exit: 1 }, { ms: 20, exit: 1 }, { ms: 20, exit: 0 }]);
    const woken: string[] = [];
    const probes = new HealthProbes(engine.runtime, (id) => woken.push(id));
    const t0 = Date.now();
    const signal = new AbortController().signal;
    const wait = controlledWait(signal);
    const result = probes.whileWaiting('c1', starting, signal, () => wait.promise);
    await vi.advanceTimersByTimeAsync(330);
    expect(engine.calls.map((c) => c.at - t0)).toEqual([0, 100, 200, 300]);
    expect(engine.calls[0]!.spec.command).toEqual(['pg_isready']);
    expect(woken).toEqual(['c1']);
    expect(probes.view('c1', starting).health).toBe('healthy');
    expect(probes.view('c2', { ...starting, id: 'c2' }).health).toBe('starting');
    await vi.advanceTimersByTimeAsync(1000);
    expect(engine.calls).toHaveLength(4); // passed: no more runs
    wait.end('ready');
    await expect(result).resolves.toBe('ready');
  });

  it('never has two runs in flight: a slow run delays the next one', async () => {
    const engine = scripted([{ ms: 350, exit: 1 }, { ms: 10, exit: 1 }]);
    const probes = new HealthProbes(engine.runtime, () => undefined);
    const t0 = Date.now();
    const controller = new AbortController();
    const wait = controlledWait(controller.signal);
    const result = probes.whileWaiting('c1', starting, controller.signal, () => wait.promise);
    await vi.advanceTimersByTimeAsync(1000);
    expect(engine.maxInFlight()).toBe(1);
    expect(engine.calls[1]!.at - t0).toBe(350); // right after the slow one, not at 100
    expect(engine.calls[2]!.at - t0).toBe(450);
    wait.end('ready');
    await result;
  });

  it('a run past the check timeout fails even if it exits 0 later, and the next begins only once it ended', async () => {
    const engine = scripted([{ ms: 3_000, exit: 0 }, { ms: 10, exit: 1 }]);
    const probes = new HealthProbes(engine.runtime, () => undefined);
    const t0 = Date.now();
    const controller = new AbortController();
    const wait = controlledWait(controller.signal);
    const result = probes.whileWaiting('c1', starting, controller.signal, () => wait.promise);
    await vi.advanceTimersByTimeAsync(3_050);
    expect(probes.view('c1', starting).health).toBe('starting');
    expect(engine.calls.map((c) => c.at - t0)).toEqual([0, 3_000]);
    expect(engine.maxInFlight()).toBe(1);
    wait.end('ready');
    await result;
  });

  it('a container that died under the probe: the refused exec ends probing, the wait decides', async () => {
    const engine = scripted([{ ms: 30, exit: 1 }, 'refused']);
    const probes = new HealthProbes(engine.runtime, () => undefined);
    const controller = new AbortController();
    const wait = controlledWait(controller.signal);
    const result = probes.whileWaiting('c1', starting, controller.signal, () => wait.promise);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(engine.calls).toHaveLength(2);
    wait.end('exited');
    await expect(result).resolves.toBe('exited');
  });

  it('an abort (Ctrl-C) with a run in flight returns at once, closes that run and starts no other', async () => {
    const engine = scripted([{ ms: 0, exit: 'never' }]);
    const probes = new HealthProbes(engine.runtime, () => undefined);
    const controller = new AbortController();
    const wait = controlledWait(controller.signal);
    const result = probes.whileWaiting('c1', starting, controller.signal, () => wait.promise);
    result.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(50);
    controller.abort(new Error('SIGINT'));
    await expect(result).rejects.toThrow('SIGINT');
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0]!.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(engine.calls).toHaveLength(1);
  });

  it('once the wait is over (the engine said healthy), probing stops even with a run on its way', async () => {
    let answer!: (s: ExecSession) => void;
    const close = vi.fn();
    const calls: number[] = [];
    const runtime = {
      exec: () => {
        calls.push(Date.now());
        return new Promise<ExecSession>((resolve) => (answer = resolve));
      },
    } as unknown as Backend;
    const probes = new HealthProbes(runtime, () => undefined);
    const signal = new AbortController().signal;
    const wait = controlledWait(signal);
    const result = probes.whileWaiting('c1', starting, signal, () => wait.promise);
    await vi.advanceTimersByTimeAsync(10);
    wait.end('ready');
    await expect(result).resolves.toBe('ready'); // not held up by the engine's slow exec
    answer({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), exitCode: new Promise(() => undefined), resize: async () => undefined, close });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(close).toHaveBeenCalled();
    expect(calls).toHaveLength(1);
  });

  it('does not probe a service without a check, with NONE, or already decided by the engine', async () => {
    const engine = scripted([{ ms: 1, exit: 0 }]);
    const probes = new HealthProbes(engine.runtime, () => undefined);
    const signal = new AbortController().signal;
    for (const state of [
      { ...starting, health: 'none' as const, healthcheck: undefined },
      { ...starting, healthcheck: { test: ['NONE'] } },
      { ...starting, healthcheck: undefined }, // a backend that cannot say which check runs
      { ...starting, health: 'healthy' as const },
    ]) {
      await probes.whileWaiting('c1', state, signal, async () => 'ready');
    }
    await vi.advanceTimersByTimeAsync(500);
    expect(engine.calls).toHaveLength(0);
  });

  it('says who decided, and the engine still fails an unhealthy service after a passing probe', async () => {
    const engine = scripted([{ ms: 5, exit: 0 }]);
    const probes = new HealthProbes(engine.runtime, () => undefined);
    const judgeC1 = probes.judgeReady('c1');
    expect(judgeC1(starting)).toBeUndefined();
    const signal = new AbortController().signal;
    const wait = controlledWait(signal);
    const result = probes.whileWaiting('c1', starting, signal, () => wait.promise);
    await vi.advanceTimersByTimeAsync(10);
    expect(judgeC1(starting)).toEqual({ done: 'healthy' });
    expect(probes.decidedBy('c1')).toBe('envtest probe');
    expect(judgeC1({ ...starting, health: 'unhealthy' })).toEqual({ fail: 'became unhealthy' });
    expect(judgeC1({ ...starting, status: 'exited', exitCode: 1 })).toEqual({ fail: 'exited with code 1' });
    wait.end('ready');
    await result;

    const judgeC2 = probes.judgeReady('c2');
    expect(judgeC2({ ...starting, id: 'c2', health: 'healthy' })).toEqual({ done: 'healthy' });
    expect(probes.decidedBy('c2')).toBe('engine');
  });
});
