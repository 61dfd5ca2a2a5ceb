// The start scheduler: every service is created as soon as its own image is there and each of its
// own dependencies meets its condition, then waited on until ready. The first failure aborts every other wait and creation,
// and nothing returns until all in-flight work has settled, so teardown sees everything made.
import type { Logger } from 'pino';
import type { Redactor } from '../../text/redact.js';
import { EnvironmentError, isEnvtestError, WaitTimeoutError } from '../../errors.js';
import { replicaCount, type ComposeProject, type DependencyCondition } from '../../model/project.js';
import type { StartPlan } from '../../planner/plan.js';
import { NameConflictError, PortInUseError, RuntimeError } from '../../runtime/errors.js';
import type { Backend, ServiceState } from '../../runtime/backend.js';
import { ContainerFailed, WaitExpired, type ContainerWatch, type Verdict } from '../readiness/container-watch.js';
import { replicasOf, type ReplicaRecord, type ServiceRecord } from './environment.js';
import type { ProgressListener } from './progress.js';
import { formatDuration } from '../../model/duration.js';
import { HealthProbes } from '../readiness/health-probe.js';
import { PORT_PATIENCE_MS, portsToWaitFor, readyByPorts } from '../ports/port-readiness.js';
import { describeWait, judgeCondition, type Readiness } from '../readiness/readiness.js';
import { hookRecorder, runPostStart } from './lifecycle-hooks.js';
import { filesToCopy, serviceFiles } from '../spec/service-files.js';
import { serviceContainerSpec, type RunContext } from '../spec/service-spec.js';
import { lastLogLines, type ServiceLogs } from '../sampling/service-logs.js';
import { settleAll } from './settle.js';

const CONDITION_WORD: Record<DependencyCondition, string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed successfully',
};

export interface StartServicesOptions {
  runtime: Backend;
  project: ComposeProject;
  plan: StartPlan;
  ctx: RunContext;
  images: Record<string, string>;
  /** Settles once the service's own image is there; absent: every image already is. */
  imageReady?: (service: string) => Promise<void>;
  watch: ContainerWatch;
  logs?: ServiceLogs;
  logger: Logger;
  progress: ProgressListener;
  redactor: Redactor;
  timeoutMs: number;
  signal: AbortSignal;
  /** Where `environment:`-sourced secrets and configs are read. */
  environment: Record<string, string | undefined>;
  /** The origin of every time this run reports, so terminal, summary and report agree. */
  startedAt: number;
  /** Image of the helper that reads listening ports (readiness by ports); absent: the 1 s rule for all. */
  helperImage?: string;
  /** How long to wait for declared ports before calling a service ready anyway (default PORT_PATIENCE_MS). */
  portPatienceMs?: number;
  /**
   * Called once, when every service that waits for nothing has started: until then their starts
   * are the whole critical path, and work beside the stack would slow them. A failed start never
   * calls it (the start's signal says that).
   */
  onFirstWaveStarted?: () => void;
}

export async function startServices(so: StartServicesOptions): Promise<Record<string, ServiceRecord>> {
  const { runtime, plan, watch, progress } = so;
  // Counted from the start of the whole start: images and networks used part of the time already.
  const deadline = so.startedAt + so.timeoutMs;
  const abort = new AbortController();
  const signal = AbortSignal.any([so.signal, abort.signal]);
  const records: Record<string, ServiceRecord> = {};
  const starts = new Map<string, Promise<ServiceRecord>>();
  const reported = new Set<string>();
  const since = () => Date.now() - so.startedAt;
  const probes = new HealthProbes(runtime, (id) => watch.wake(id));
  /** Each container's state as read right after its start, until its readiness wait takes it. */
  const startedStates = new Map<string, ServiceState>();

  const fail = async (service: string, reason: string, state?: ServiceState, timeout = false, containerId = records[service]?.containerId): Promise<never> => {
    const lastLogs = containerId ? await lastLogLines(runtime, containerId) : [];
    // A dependent's wait and the service's own readiness wait may both see the same failure.
    if (!reported.has(service)) progress({ type: 'service', service, phase: 'failed', detail: reason, ms: since() });
    reported.add(service);
    const details = {
      service,
      lastLogs: lastLogs.map((l) => so.redactor.redact(l)),
      healthOutput: state?.lastHealthOutput && so.redactor.redact(state.lastHealthOutput),
    };
    throw timeout ? new WaitTimeoutError(reason, details) : new EnvironmentError(`service ${reason}`, details);
  };

  /** Waits on one container of `service`; a failure names the replica when the service has several. */
  const waitFor = <T>(service: string, replica: ReplicaRecord, what: string | (() => string), judge: (s: ServiceState) => Verdict<T>, waitSignal = signal): Promise<T> => {
    const who = records[service]?.replicas ? `${service} (replica ${replica.replica})` : service;
    return watch
      .until(replica.containerId, judge, { deadline, signal: waitSignal })
      .catch((e: unknown) => {
        if (e instanceof ContainerFailed) return fail(service, `${who} ${e.message}`, e.state, false, replica.containerId);
        if (e instanceof WaitExpired) return fail(service, describeWait(who, typeof what === 'string' ? what : what(), so.timeoutMs, e.state), e.state, true, replica.containerId);
        throw e;
      });
  };

  /** Ready when every replica is; the service's readiness is its first replica's. */
  const waitReady = async (service: string, record: ServiceRecord): Promise<Readiness> => {
    const each = await settleAll(replicasOf(record).map((replica) => waitReplicaReady(service, replica)));
    return each[0]!;
  };

  const waitReplicaReady = async (service: string, replica: ReplicaRecord): Promise<Readiness> => {
    // The state read just after the start: what the wait starts from, without asking again.
    const state = startedStates.get(replica.containerId) ?? (await runtime.serviceState(replica.containerId, { signal }));
    startedStates.delete(replica.containerId);
    const ports = so.helperImage ? portsToWaitFor(so.project.services[service], state) : [];
    if (ports.length === 0) return probes.whileWaiting(replica.containerId, state, signal, () => waitFor(service, replica, 'ready', probes.judgeReady(replica.containerId)));
    const who = records[service]?.replicas ? `${service} (replica ${replica.replica})` : service;
    return readyByPorts({
      runtime,
      target: { runId: so.ctx.runId, project: so.ctx.project, service, containerId: replica.containerId },
      image: so.helperImage!,
      ports,
      signal,
      patienceMs: so.portPatienceMs ?? PORT_PATIENCE_MS,
      onGaveUp: (missing) => {
        const ports = missing.map((p) => `${p}/tcp`).join(', ');
        so.logger.warn({ service, replica: replica.replica, ports: missing }, `declared port ${ports} not listening; ready anyway`);
        so.progress({ type: 'service', service, phase: 'waiting', detail: `${who === service ? '' : `${who}: `}declared port ${ports} not listening after ${formatDuration(so.portPatienceMs ?? PORT_PATIENCE_MS)}; going on`, ms: since() });
      },
      watchContainer: (judge, what, waitSignal) => waitFor(service, replica, what, judge, waitSignal),
    });
  };

  const start = (service: string): Promise<ServiceRecord> => {
    let started = starts.get(service);
    if (!started) {
      started = (async () => {
        // A failed image ends every wait at once, not only when the dependencies are met.
        const image = so.imageReady?.(service).catch((e: unknown) => {
          abort.abort(e);
          throw e;
        });
        await settleAll([
          ...plan.waitsFor[service]!.map(async (dep) => {
            // As compose does: every replica of the dependency meets the condition.
            const depRecord = await start(dep.service);
            await settleAll(replicasOf(depRecord).map((r) => waitFor(dep.service, r, CONDITION_WORD[dep.condition], (s) => judgeCondition(dep.condition, probes.view(r.containerId, s)))));
          }),
          image ?? Promise.resolve(),
        ]);
        signal.throwIfAborted();
        return createAndStart(so, service, records, signal, startedStates);
      })();
      starts.set(service, started);
    }
    return started;
  };

  const firstWave = new Set(Object.keys(so.project.services).filter((service) => plan.waitsFor[service]!.length === 0));
  const started = (service: string) => {
    if (firstWave.delete(service) && firstWave.size === 0) so.onFirstWaveStarted?.();
  };

  const all = Object.keys(so.project.services).map(async (service) => {
    try {
      const record = await start(service);
      started(service);
      record.readiness = await waitReady(service, record);
      record.readyAt = Date.now();
      record.readinessSource = probes.decidedBy(record.containerId);
      progress({ type: 'service', service, phase: 'ready', detail: record.readiness + (record.readinessSource ? ` (${record.readinessSource})` : ''), ms: since() });
    } catch (e) {
      abort.abort(e); // fail fast: stop every other wait and creation now
      throw e;
    }
  });
  // Settled: a start still creating its container finishes before teardown lists what to remove.
  await settleAll(all);
  return records;
}

/** Creates every replica of the service, then starts them: secrets and configs in place first. */
async function createAndStart(so: StartServicesOptions, service: string, records: Record<string, ServiceRecord>, signal: AbortSignal, startedStates: Map<string, ServiceState>): Promise<ServiceRecord> {
  const { runtime, ctx, progress } = so;
  const config = so.project.services[service]!;
  const count = replicaCount(config);
  const files = serviceFiles(so.project, service, so.environment); // read before anything is made: checkStartable saw them readable
  const numbers = count > 1 ? Array.from({ length: count }, (_, i) => i + 1) : [undefined];
  const specs = numbers.map((n) => serviceContainerSpec(service, config, so.images[service]!, ctx, n));
  // Once per service and key: every replica's spec lacks the same keys.
  for (const key of runtime.limits.leftOut?.(specs[0]!) ?? []) {
    progress({ type: 'warning', message: `service ${service}: ${key} is left out, this backend cannot carry it (the service runs without it)` });
  }
  const copies = filesToCopy(config, files);
  const replicas: ReplicaRecord[] = [];
  let record: ServiceRecord | undefined;
  // Every replica is made before any starts: the service is recorded (teardown finds it, a
  // `network_mode: service:` dependent names it) and reported created once, and a failure to make
  // one starts none.
  const made = gate();
  let toMake = specs.length;
  const onCreated = async (i: number, id: string) => {
    replicas[i] = { replica: numbers[i] ?? 1, containerId: id, containerName: specs[i]!.name, publishedPorts: [] };
    if (--toMake === 0) {
      record = recordCreated(so, service, records, replicas, count);
      made.open();
    }
    await made.opened;
  };
  await settleAll(
    specs.map(async (spec, i) => {
      let created = false;
      try {
        await runtime.startService(spec, {
          files: copies,
          signal,
          onCreated: (id) => {
            created = true;
            return onCreated(i, id);
          },
        });
      } catch (e) {
        if (!created) {
          const refused = engineRefusal(service, 'could not be created', e);
          made.fail(refused);
          throw refused;
        }
        if (signal.aborted && e === signal.reason) throw e; // created, so teardown will find it; never started after a failure elsewhere
        if (e instanceof PortInUseError) {
          throw new EnvironmentError(`service ${service} could not publish host port ${e.hostPort}: it is already in use (${e.engineMessage})`, { service });
        }
        throw engineRefusal(service, 'could not start', e);
      }
    }),
  );
  record!.startedAt = Date.now();
  progress({ type: 'service', service, phase: 'started', ms: record!.startedAt - so.startedAt });
  await settleAll(
    replicas.map(async (r) => {
      // Side by side: each is a round trip on the critical path, and neither needs the other.
      const [, state] = await Promise.all([
        // Followed from the beginning of the container's output, so nothing printed before this is lost.
        so.logs?.follow(service, r.containerId, count > 1 ? r.replica : undefined).catch((e: unknown) => so.logger.warn({ service, err: e }, 'could not follow logs')),
        runtime.serviceState(r.containerId, { signal }),
      ]);
      r.publishedPorts = state.publishedPorts;
      startedStates.set(r.containerId, state);
    }),
  );
  record!.publishedPorts = replicas[0]!.publishedPorts;
  // Before the service counts as started for dependents and checks, as in docker compose.
  await settleAll(replicas.map((r) => runPostStart(runtime, service, r.containerId, config.post_start, hookRecorder(service, so.logger, so.logs, count > 1 ? r.replica : undefined))));
  return record!;
}

function recordCreated(so: StartServicesOptions, service: string, records: Record<string, ServiceRecord>, replicas: ReplicaRecord[], count: number): ServiceRecord {
  const first = replicas[0]!;
  so.ctx.containerIds[service] = first.containerId;
  (so.ctx.containerNames ??= {})[service] = first.containerName;
  const createdAt = Date.now();
  const record: ServiceRecord = { service, containerId: first.containerId, containerName: first.containerName, createdAt, startedAt: createdAt, publishedPorts: [], ...(count > 1 ? { replicas } : {}) };
  records[service] = record;
  so.progress({ type: 'service', service, phase: 'created', ms: createdAt - so.startedAt, containerId: first.containerId });
  return record;
}

/** Opened once, or failed: everything waiting on it goes on, or throws the failure. */
function gate(): { opened: Promise<void>; open(): void; fail(e: unknown): void } {
  let open!: () => void;
  let fail!: (e: unknown) => void;
  const opened = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  opened.catch(() => undefined); // nobody may be waiting when it fails
  return { opened, open, fail };
}

/** The engine refused a service (bad runtime, logging driver, platform...): say which, exit 3. Our own errors pass as they are. */
function engineRefusal(service: string, what: string, e: unknown): unknown {
  if (isEnvtestError(e) || e instanceof NameConflictError) return e;
  const message = e instanceof RuntimeError ? e.engineMessage : e instanceof Error ? e.message : String(e);
  return new EnvironmentError(`service ${service} ${what}: ${message}`, { service });
}
