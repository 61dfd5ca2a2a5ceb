// envtest's own runs of a service's health check, on a virtual clock: the cadence and how it backs
// off as runs slow down, one run at a time, timeouts, the session and the exec-per-run fallback, a
// container that dies under a probe, and an abort with a run in flight.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HealthProbes, probeCommand, probeGapMs, PROBE_EVERY_MS } from '../../../src/orchestrator/readiness/health-probe.js';
import { SESSION_SCRIPT } from '../../../src/orchestrator/readiness/health-probe-runs.js';
import type { Backend, ContainerHealthcheck, ExecSession, ExecSpec, ServiceState as ContainerState } from '../../../src/runtime/backend.js';
import { fakeCheckExec, type FakeExec } from './fake-check-exec.js';

const check: ContainerHealthcheck = { test: ['CMD', 'pg_isready'], intervalMs: 30_000, timeoutMs: 2_000 };
const starting: ContainerState = { id: 'c1', name: 'db', status: 'running', exitCode: 0, restartCount: 0, health: 'starting', healthcheck: check, publishedPorts: [] };

/** One scripted run of the check: how long it takes and how it exits (never: it hangs). */
type Run = { ms: number; exit: number | 'never' };

/**
 * An engine that runs the check as `runs` say, in order (the last one repeats), recording each run
 * and each exec. `shell: false`: the image has no /bin/sh; `refuse`: every exec is refused.
 */
function scripted(runs: Run[], opts: { shell?: boolean; refuse?: boolean } = {}) {
  const calls: { at: number }[] = [];
  const execs: FakeExec[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const runOnce = () => {
    const run = runs[Math.min(calls.length, runs.length - 1)]!;
    calls.push({ at: Date.now() });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<number>((resolve) => {
      if (run.exit !== 'never') setTimeout(() => (inFlight--, resolve(run.exit as number)), run.ms);
    });
  };
  const runtime = {
    exec: async (_id: string, spec: ExecSpec): Promise<ExecSession> => {
      if (opts.refuse) throw new Error('container is not running');
      const { session, exec } = fakeCheckExec(spec, runOnce, opts);
      execs.push(exec);
      return session;
    },
  } as unknown as Backend;
  return { runtime, calls, execs, maxInFlight: () => maxInFlight };
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

/** Starts probing c1 with a wait the test ends. */
function probing(engine: ReturnType<typeof scripted>, state = starting) {
  const woken: string[] = [];
  const probes = new HealthProbes(engine.runtime, (id) => woken.push(id));
  const controller = new AbortController();
  const wait = controlledWait(controller.signal);
  const result = probes.whileWaiting('c1', state, controller.signal, () => wait.promise);
  result.catch(() => undefined);
  return { probes, woken, controller, wait, result, t0: Date.now() };
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

describe('probeGapMs', () => {
  it('is PROBE_EVERY_MS while runs are quick, and five times the last run once they are not', () => {
    expect(PROBE_EVERY_MS).toBe(50);
    expect(probeGapMs(0)).toBe(50);
    expect(probeGapMs(8)).toBe(50);
    expect(probeGapMs(10)).toBe(50);
    expect(probeGapMs(40)).toBe(200);
    expect(probeGapMs(2_000)).toBe(10_000); // the engine's default interval: 30 s
  });

  it('backs off toward the engine\'s own interval, never past it, and never more often than the last run took', () => {
    expect(probeGapMs(40, 50, 1_000)).toBe(200);
    expect(probeGapMs(300, 50, 1_000)).toBe(1_000);
    expect(probeGapMs(2_500, 50, 1_000)).toBe(2_500);
    expect(probeGapMs(5, 50, 20)).toBe(50);
  });
});

describe('HealthProbes', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('runs the check every 50 ms through one session while runs are quick, until one passes; then wakes the waiters and ends the session', async () => {
    const engine = scripted([{ ms: 5, exit: 1 }, { ms: 5, exit: 1 }, { ms: 5, exit: 1 }, { ms: 5, exit: 0 }]);
    const { probes, woken, wait, result, t0 } = probing(engine);
    await vi.advanceTimersByTimeAsync(170);
    expect(engine.calls.map((c) => c.at - t0)).toEqual([0, 50, 100, 150]);
    expect(engine.execs).toHaveLength(1);
    expect(engine.execs[0]!.spec.command).toEqual(['/bin/sh', '-c', SESSION_SCRIPT, 'envtest-probe', 'pg_isready']);
    expect(engine.execs[0]!.stdinEnded).toBe(true); // the loop exits
    expect(woken).toEqual(['c1']);
    expect(probes.view('c1', starting).health).toBe('healthy');
    expect(probes.view('c2', { ...starting, id: 'c2' }).health).toBe('starting');
    await vi.advanceTimersByTimeAsync(1000);
    expect(engine.calls).toHaveLength(4); // passed: no more runs
    wait.end('ready');
    await expect(result).resolves.toBe('ready');
  });

  it('backs off as runs slow down (a loaded machine or engine), and speeds up again when they are quick', async () => {
    const engine = scripted([{ ms: 100, exit: 1 }, { ms: 400, exit: 1 }, { ms: 10, exit: 1 }, { ms: 10, exit: 1 }]);
    const { wait, result, t0 } = probing(engine);
    await vi.advanceTimersByTimeAsync(3_000);
    // 100 ms run: next at 500; 400 ms run: next 2000 after its start; then quick again.
    expect(engine.calls.slice(0, 5).map((c) => c.at - t0)).toEqual([0, 500, 2_500, 2_550, 2_600]);
    expect(engine.maxInFlight()).toBe(1);
    wait.end('ready');
    await result;
  });

  it('with the example\'s 1 s interval, slow runs are followed by the next at most a second after they began', async () => {
    const engine = scripted([{ ms: 400, exit: 1 }, { ms: 1_500, exit: 1 }, { ms: 10, exit: 1 }]);
    const { wait, result, t0 } = probing(engine, { ...starting, healthcheck: { ...check, intervalMs: 1_000 } });
    await vi.advanceTimersByTimeAsync(2_560);
    expect(engine.calls.slice(0, 4).map((c) => c.at - t0)).toEqual([0, 1_000, 2_500, 2_550]);
    wait.end('ready');
    await result;
  });

  it('a run past the check timeout fails even if it exits 0 later, and the next begins only once it ended (and later still)', async () => {
    const engine = scripted([{ ms: 3_000, exit: 0 }, { ms: 10, exit: 1 }]);
    const { probes, wait, result, t0 } = probing(engine);
    await vi.advanceTimersByTimeAsync(15_010);
    expect(probes.view('c1', starting).health).toBe('starting');
    expect(engine.calls.map((c) => c.at - t0)).toEqual([0, 15_000]);
    expect(engine.maxInFlight()).toBe(1);
    wait.end('ready');
    await result;
  });

  it('an image without /bin/sh: one exec per run instead, at a cadence its slower runs set', async () => {
    const engine = scripted([{ ms: 30, exit: 1 }, { ms: 30, exit: 1 }, { ms: 30, exit: 0 }], { shell: false });
    const { woken, wait, result, t0 } = probing(engine);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(engine.execs[0]!.spec.command[2]).toBe(SESSION_SCRIPT);
    expect(engine.execs.slice(1).map((e) => e.spec.command)).toEqual([['pg_isready'], ['pg_isready'], ['pg_isready']]);
    expect(engine.calls.map((c) => c.at - t0)).toEqual([0, 150, 300]);
    expect(woken).toEqual(['c1']);
    wait.end('ready');
    await result;
  });

  it('a container that died under the probe: the session ends, probing ends, the wait decides', async () => {
    const engine = scripted([{ ms: 5, exit: 1 }, { ms: 0, exit: 'never' }]);
    const { wait, result } = probing(engine);
    await vi.advanceTimersByTimeAsync(70);
    expect(engine.calls).toHaveLength(2);
    engine.execs[0]!.end(); // the engine killed the loop with its container
    await vi.advanceTimersByTimeAsync(2_000);
    expect(engine.calls).toHaveLength(2);
    expect(engine.execs).toHaveLength(1);
    wait.end('exited');
    await expect(result).resolves.toBe('exited');
  });

  it('an engine that refuses the exec: no probe, the engine decides', async () => {
    const engine = scripted([{ ms: 5, exit: 0 }], { refuse: true });
    const { probes, wait, result } = probing(engine);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(engine.calls).toHaveLength(0);
    expect(probes.view('c1', starting).health).toBe('starting');
    wait.end('ready');
    await expect(result).resolves.toBe('ready');
  });

  it('an abort (Ctrl-C) with a run in flight returns at once, ends the session and starts no other run', async () => {
    const engine = scripted([{ ms: 0, exit: 'never' }]);
    const { controller, result } = probing(engine);
    await vi.advanceTimersByTimeAsync(50);
    controller.abort(new Error('SIGINT'));
    await expect(result).rejects.toThrow('SIGINT');
    expect(engine.calls).toHaveLength(1);
    expect(engine.execs[0]!.stdinEnded || engine.execs[0]!.closed).toBe(true);
    expect(engine.execs[0]!.closed).toBe(true);
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
    const { session } = fakeCheckExec({ command: ['/bin/sh', '-c', SESSION_SCRIPT] }, () => Promise.resolve(0));
    answer({ ...session, close });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(close).toHaveBeenCalled();
    expect(calls).toHaveLength(1);
  });

  it('does not probe a service without a check, with NONE, already decided by the engine, or checked by the engine at least as often', async () => {
    const engine = scripted([{ ms: 1, exit: 0 }]);
    const probes = new HealthProbes(engine.runtime, () => undefined);
    const signal = new AbortController().signal;
    for (const state of [
      { ...starting, health: 'none' as const, healthcheck: undefined },
      { ...starting, healthcheck: { test: ['NONE'] } },
      { ...starting, healthcheck: undefined }, // a backend that cannot say which check runs
      { ...starting, health: 'healthy' as const },
      { ...starting, healthcheck: { ...check, intervalMs: 50 } },
    ]) {
      await probes.whileWaiting('c1', state, signal, async () => 'ready');
    }
    await vi.advanceTimersByTimeAsync(500);
    expect(engine.execs).toHaveLength(0);
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
