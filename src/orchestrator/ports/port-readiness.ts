// Readiness by listening ports: a service without a health check is ready once every TCP port it
// declares listens in its namespace, as a helper sees in /proc/net (polled every 50 ms). This is
// when it can first be used, rather than a fixed "running for 1 s". A service that declares no
// port, or says `x-envtest: { ready: running }`, keeps the 1 s rule. Ports still closed after
// PORT_PATIENCE_MS, in a service that has gone quiet, do not fail the start: the service is ready
// ('running') and they are reported.
import { setTimeout as sleep } from 'node:timers/promises';
import { ValidationError, type Problem } from '../../errors.js';
import type { ComposeProject, ServiceConfig } from '../../model/project.js';
import type { Backend, ServiceState } from '../../runtime/backend.js';
import type { Verdict } from '../readiness/container-watch.js';
import { judgeReady, type Readiness } from '../readiness/readiness.js';
import { listenerSnapshots, type HelperTarget } from './listeners.js';

export const EXTENSION_KEY = 'x-envtest';

/**
 * How long a running service may take to open its declared ports before it counts as ready anyway.
 * A port that never opens is then the checks' (and `envtest ports`') to report, which they do far
 * more precisely than a failed start could; and it is never worse than the old 1 s rule.
 */
export const PORT_PATIENCE_MS = 30_000;
/** Above this CPU use a service that has not opened its ports yet is still getting there. */
const BUSY_CPU_PERCENT = 5;
const BUSY_RECHECK_MS = 3_000;
const READY_VALUES = ['running'] as const;

/** The declared TCP ports to wait for; empty when the service is judged otherwise. */
export function portsToWaitFor(config: ServiceConfig | undefined, state: ServiceState): number[] {
  if (state.health !== 'none') return []; // a health check decides
  if (readyOption(config) === 'running') return [];
  return [...new Set((state.exposedPorts ?? []).filter((p) => p.protocol === 'tcp').map((p) => p.port))].sort((a, b) => a - b);
}

function readyOption(config: ServiceConfig | undefined): unknown {
  const ext = config?.[EXTENSION_KEY];
  return ext && typeof ext === 'object' ? (ext as Record<string, unknown>).ready : undefined;
}

/** `x-envtest` is read by envtest alone, so envtest checks it: a typo must not silently change readiness. */
export function checkEnvtestExtension(project: ComposeProject): void {
  const problems: Problem[] = [];
  for (const [name, config] of Object.entries(project.services)) {
    const ext = config[EXTENSION_KEY];
    if (ext === undefined) continue;
    const path = `services.${name}.${EXTENSION_KEY}`;
    if (!ext || typeof ext !== 'object' || Array.isArray(ext)) {
      problems.push({ path, message: 'must be a mapping, e.g. { ready: running }' });
      continue;
    }
    for (const [key, value] of Object.entries(ext)) {
      if (key !== 'ready') problems.push({ path: `${path}.${key}`, message: `unknown key "${key}"; envtest knows only "ready"` });
      else if (!(READY_VALUES as readonly unknown[]).includes(value)) {
        problems.push({ path: `${path}.ready`, message: `must be "running" (ready once running for 1 s, whatever it listens on), not ${JSON.stringify(value)}` });
      }
    }
  }
  if (problems.length) throw new ValidationError(problems, 'compose project');
}

/**
 * Resolves once every port listens (TCP, any address). `onMissing` hears the ports still closed
 * after each change, so a timeout can name them. The helper goes when this settles or `signal` aborts.
 */
export async function waitUntilListening(
  runtime: Backend,
  target: HelperTarget,
  image: string,
  ports: number[],
  signal: AbortSignal,
  onMissing: (missing: number[]) => void = () => undefined,
): Promise<void> {
  for await (const sockets of listenerSnapshots(runtime, target, image, signal, { untilListening: ports })) {
    const missing = ports.filter((port) => !sockets.some((s) => s.protocol === 'tcp' && s.port === port));
    onMissing(missing);
    if (missing.length === 0) return;
  }
}

/** While waiting for ports: only a crash (fail) or an exit 0 (a one-shot job) decides. */
export function judgeWhileListening(s: ServiceState): Verdict<Readiness> {
  const v = judgeReady(s);
  if (v && ('fail' in v || ('done' in v && v.done === 'completed'))) return v;
  return undefined;
}

export interface PortWaitOptions {
  runtime: Backend;
  target: HelperTarget;
  /** For the helper: any image with /bin/sh or node. */
  image: string;
  ports: number[];
  signal: AbortSignal;
  /** Stop waiting for ports after this long and call the service ready ('running'). */
  patienceMs: number;
  /** Hears the ports still closed when patience ran out. */
  onGaveUp(missing: number[]): void;
  /**
   * Watches the container with `judge` until it decides, `signal` aborts, or the deadline passes;
   * `what` says what was awaited, for the timeout's message.
   */
  watchContainer(judge: typeof judgeWhileListening, what: () => string, signal: AbortSignal): Promise<Readiness>;
}

export async function readyByPorts(o: PortWaitOptions): Promise<Readiness> {
  const local = new AbortController();
  const signal = AbortSignal.any([o.signal, local.signal]);
  let missing = o.ports;
  const what = () => `listening on declared port${missing.length > 1 ? 's' : ''} ${missing.map((p) => `${p}/tcp`).join(', ')}`;
  const ended = o.watchContainer(judgeWhileListening, what, signal);
  let helper: Promise<void> | undefined;
  ended.catch(() => undefined); // settled by the race below, or abandoned once the ports listen
  try {
    helper = waitUntilListening(o.runtime, o.target, o.image, o.ports, signal, (m) => (missing = m));
    const listening = helper.then(
      () => 'listening' as const,
      async (e: unknown) => {
        // The helper cannot join the namespace of a container that already died: the crash is the story.
        const s = await o.runtime.serviceState(o.target.containerId);
        if (signal.aborted || s.status !== 'running' || s.restartCount > 0) return ended;
        throw e;
      },
    );
    const patience = patienceRunsOut(o, signal).catch(() => ended);
    const first = await Promise.race([ended, listening, patience]);
    if (first === 'gave up') {
      o.onGaveUp(missing);
      return 'running';
    }
    if (first !== 'listening') return first;
    // Listening, and still up at this moment: a crash right after binding is the container watch's to report.
    return judgeWhileListening(await o.runtime.serviceState(o.target.containerId)) ? await ended : first;
  } finally {
    local.abort();
    await helper?.catch(() => undefined); // the helper is gone, or on its way out by itself, before the service counts as ready
  }
}

/** Patience runs out after `patienceMs`, but not while the service is busy (an initdb, a JIT warming up). */
async function patienceRunsOut(o: PortWaitOptions, signal: AbortSignal): Promise<'gave up'> {
  await sleep(o.patienceMs, undefined, { signal });
  for (;;) {
    const usage = await o.runtime.stats(o.target.containerId);
    if (!usage || (usage.cpuPercent ?? 0) < BUSY_CPU_PERCENT) return 'gave up';
    await sleep(BUSY_RECHECK_MS, undefined, { signal });
  }
}
