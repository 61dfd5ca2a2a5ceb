// envtest runs a service's own health check itself from the moment it starts, instead of waiting
// for the engine's interval: a database ready after 0.8 s with `interval: 5s` is seen at 0.8 s, not
// at 5 s (and engines before API 1.44 ignore `start_interval`). The first to say so wins: the
// engine's `healthy`, or one passing run of envtest's probe. Only the engine can fail a service
// (`unhealthy`): a failing probe proves nothing the engine's retries would not, so it never counts
// against the service, whatever its `start_period`.
//
// The probe runs often while runs are quick and backs off as they slow down (probeGapMs): a run's
// time is what the machine and the engine say about their load, so twenty stacks starting at once
// on two cores do not drown the engine in probes, while one stack on a quiet machine is seen at once.
import type { Backend, ContainerHealthcheck, ServiceState } from '../../runtime/backend.js';
import { pause } from '../../timing/pause.js';
import type { Verdict } from './container-watch.js';
import { execPerRun, openSession, type CheckRuns } from './health-probe-runs.js';
import { judgeReady, type Readiness } from './readiness.js';

/** The shortest time from one run's start to the next (one run at a time). */
export const PROBE_EVERY_MS = 50;
/**
 * After a run, the probe pauses at least this many times the run's length: it keeps the container
 * and the engine busy at most a fifth of the time, however slow they get.
 */
export const PROBE_BACKOFF = 4;
/** The engine's defaults: timeout of one check run, and time between runs. */
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_INTERVAL_MS = 30_000;
/** What the engine runs a `CMD-SHELL` test with when the image sets no SHELL (Linux). */
const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** Who decided that a service with a health check is healthy. */
export type HealthSource = 'engine' | 'envtest probe';

/** The command the engine runs for the check, as `exec` takes it; undefined for `NONE` or no test. */
export function probeCommand(check: ContainerHealthcheck): string[] | undefined {
  const [kind, ...rest] = check.test;
  if (kind === 'CMD' && rest.length) return rest;
  if (kind === 'CMD-SHELL' && rest.length) return [...(check.shell ?? DEFAULT_SHELL), rest.join(' ')];
  return undefined;
}

/**
 * From one run's start to the next: PROBE_EVERY_MS while runs are quick, (PROBE_BACKOFF + 1) × the
 * last run's length once they are not, but never longer than the engine's own interval (nor shorter
 * than the last run): backing off past it would leave the engine's exec, slower under the same
 * load, to decide. A run's length is the check's own time plus the way there and back, so it grows
 * with the load of the container, the engine and the machine alike (local or remote).
 */
export function probeGapMs(lastRunMs: number, everyMs = PROBE_EVERY_MS, engineIntervalMs = DEFAULT_INTERVAL_MS): number {
  return Math.max(everyMs, Math.min((PROBE_BACKOFF + 1) * lastRunMs, Math.max(engineIntervalMs, lastRunMs)));
}

/**
 * envtest's probes of one start. A pass is remembered per container and wakes its waiters (`onPass`),
 * so a dependent waiting on `service_healthy` sees it as soon as the service's own wait does.
 */
export class HealthProbes {
  private readonly passed = new Set<string>();
  private readonly decided = new Map<string, HealthSource>();

  constructor(
    private readonly runtime: Backend,
    private readonly onPass: (containerId: string) => void,
    private readonly everyMs = PROBE_EVERY_MS,
  ) {}

  /** The state as readiness judges it: `starting` counts as `healthy` once envtest's probe has passed. */
  view(containerId: string, s: ServiceState): ServiceState {
    return s.health === 'starting' && this.passed.has(containerId) ? { ...s, health: 'healthy' } : s;
  }

  /** judgeReady over the probed view; remembers who decided `healthy`. */
  judgeReady(containerId: string): (s: ServiceState) => Verdict<Readiness> {
    return (s) => {
      const v = judgeReady(this.view(containerId, s));
      if (v && 'done' in v && v.done === 'healthy') this.decided.set(containerId, s.health === 'healthy' ? 'engine' : 'envtest probe');
      return v;
    };
  }

  /** Who made the container count as healthy, once its readiness wait said so. */
  decidedBy(containerId: string): HealthSource | undefined {
    return this.decided.get(containerId);
  }

  /**
   * Runs `wait` while probing the container (when it is `starting` with a check envtest can run),
   * and stops probing when `wait` settles: the probe loop is over before this returns.
   */
  async whileWaiting<T>(containerId: string, state: ServiceState, signal: AbortSignal, wait: () => Promise<T>): Promise<T> {
    const check = state.health === 'starting' ? state.healthcheck : undefined;
    const command = check && probeCommand(check);
    // The engine already runs it at least as often as envtest would.
    if (!command || (check.intervalMs !== undefined && check.intervalMs <= this.everyMs)) return wait();
    const local = new AbortController();
    const loop = this.probe(containerId, command, check, AbortSignal.any([signal, local.signal]));
    try {
      return await wait();
    } finally {
      local.abort();
      await loop;
    }
  }

  /** Runs the check until it passes, the signal aborts, or the engine refuses to run it. */
  private async probe(containerId: string, command: string[], check: ContainerHealthcheck, signal: AbortSignal): Promise<void> {
    const runs = await this.open(containerId, command, check.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal);
    if (!runs) return;
    try {
      while (!signal.aborted) {
        const began = Date.now();
        const outcome = await runs.run();
        if (outcome === 'passed') {
          this.passed.add(containerId);
          this.onPass(containerId);
          return;
        }
        // Refused: the container is gone or stopped (its wait reports that), or this backend cannot
        // exec into it; either way the engine's own check decides, as it always could.
        if (outcome !== 'failed') return;
        const gap = began + probeGapMs(Date.now() - began, this.everyMs, check.intervalMs) - Date.now();
        if (gap > 0) await pause(gap, signal);
      }
    } finally {
      runs.close();
    }
  }

  /** A session where the image has /bin/sh, else one exec per run; undefined when the engine refuses. */
  private async open(containerId: string, command: string[], timeoutMs: number, signal: AbortSignal): Promise<CheckRuns | undefined> {
    const session = await openSession(this.runtime, containerId, command, timeoutMs, signal);
    if (session === 'no shell') return execPerRun(this.runtime, containerId, command, timeoutMs, signal);
    return typeof session === 'string' ? undefined : session;
  }
}
