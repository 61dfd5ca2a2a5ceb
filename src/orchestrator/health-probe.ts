// envtest runs a service's own health check itself, every PROBE_EVERY_MS from the moment it starts,
// instead of waiting for the engine's interval: a database ready after 0.8 s with `interval: 5s` is
// seen at 0.8 s, not at 5 s (and engines before API 1.44 ignore `start_interval`). The first to say
// so wins: the engine's `healthy`, or one passing run of envtest's probe. Only the engine can fail a
// service (`unhealthy`): a failing probe proves nothing the engine's retries would not, so it never
// counts against the service, whatever its `start_period`.
import type { Backend, ContainerHealthcheck, ExecSession, ServiceState } from '../runtime/backend.js';
import { abortable } from './abortable.js';
import type { Verdict } from './container-watch.js';
import { judgeReady, type Readiness } from './readiness.js';

/** How often envtest runs the check itself while the service is starting (one run at a time). */
export const PROBE_EVERY_MS = 100;
/** The engine's default timeout of one check run. */
const DEFAULT_TIMEOUT_MS = 30_000;
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

type Outcome = 'passed' | 'failed' | 'unavailable' | 'aborted';

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
    if (!command) return wait();
    const local = new AbortController();
    const loop = this.probe(containerId, command, check.timeoutMs ?? DEFAULT_TIMEOUT_MS, AbortSignal.any([signal, local.signal]));
    try {
      return await wait();
    } finally {
      local.abort();
      await loop;
    }
  }

  /** Runs the check until it passes, the signal aborts, or the engine refuses to run it. */
  private async probe(containerId: string, command: string[], timeoutMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const began = Date.now();
      const outcome = await this.once(containerId, command, timeoutMs, signal);
      if (outcome === 'passed') {
        this.passed.add(containerId);
        this.onPass(containerId);
        return;
      }
      // Refused: the container is gone or stopped (its wait reports that), or this backend cannot
      // exec into it; either way the engine's own check decides, as it always could.
      if (outcome !== 'failed') return;
      const pause = began + this.everyMs - Date.now();
      if (pause > 0) await delay(pause, signal);
    }
  }

  /**
   * One run, as the engine runs it (the container's user, environment and working directory; stdin
   * closed). A run that outlives the check's timeout fails, and the next begins only once it has
   * ended: exec cannot kill it, and probes piling up in a struggling container would only slow it.
   */
  private async once(containerId: string, command: string[], timeoutMs: number, signal: AbortSignal): Promise<Outcome> {
    let session: ExecSession;
    const starting = this.runtime.exec(containerId, { command });
    try {
      // Not held up by a slow engine: a run that starts after the wait ended is closed unseen.
      session = await abortable(starting, signal);
    } catch {
      if (!signal.aborted) return 'unavailable';
      starting.then((late) => late.close(), () => undefined);
      return 'aborted';
    }
    session.stdin.end();
    session.stdout.resume();
    session.stderr.resume();
    const exited = session.exitCode.then(
      (code): Outcome => (code === 0 ? 'passed' : 'failed'),
      (): Outcome => 'failed',
    );
    let onAbort!: () => void;
    const aborted = new Promise<Outcome>((resolve) => (onAbort = () => resolve('aborted')));
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), timeoutMs)));
    try {
      const first = await Promise.race([exited, aborted, timedOut]);
      if (first !== 'timed out') return first;
      return await Promise.race([exited.then((): Outcome => 'failed'), aborted]);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) session.close();
    }
  }
}

/** Resolves after `ms` or as soon as the signal aborts, whichever is first (never rejects). */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
