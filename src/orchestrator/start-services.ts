// The start scheduler: every service is created as soon as each of its own dependencies meets its
// condition, then waited on until ready. The first failure aborts every other wait and creation,
// and nothing returns until all in-flight work has settled, so teardown sees everything made.
import type { Logger } from 'pino';
import type { Redactor } from '../text/redact.js';
import { EnvironmentError, isEnvtestError, WaitTimeoutError } from '../errors.js';
import type { ComposeProject, DependencyCondition } from '../model/project.js';
import type { StartPlan } from '../planner/plan.js';
import { NameConflictError, PortInUseError, RuntimeError } from '../runtime/errors.js';
import type { ContainerRuntime, ContainerState } from '../runtime/runtime.js';
import { ContainerFailed, WaitExpired, type ContainerWatch, type Verdict } from './container-watch.js';
import type { ServiceRecord } from './environment.js';
import type { ProgressListener } from './progress.js';
import { formatDuration } from '../model/duration.js';
import { PORT_PATIENCE_MS, portsToWaitFor, readyByPorts } from './ports/port-readiness.js';
import { describeWait, judgeCondition, judgeReady, type Readiness } from './readiness.js';
import { filesArchive, serviceFiles } from './service-files.js';
import { serviceContainerSpec, type RunContext } from './service-spec.js';
import { lastLogLines, type ServiceLogs } from './service-logs.js';
import { settleAll } from './settle.js';

const CONDITION_WORD: Record<DependencyCondition, string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed successfully',
};

export interface StartServicesOptions {
  runtime: ContainerRuntime;
  project: ComposeProject;
  plan: StartPlan;
  ctx: RunContext;
  images: Record<string, string>;
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

  const fail = async (service: string, reason: string, state?: ContainerState, timeout = false): Promise<never> => {
    const id = records[service]?.containerId;
    const lastLogs = id ? await lastLogLines(runtime, id) : [];
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

  const waitFor = <T>(service: string, id: string, what: string | (() => string), judge: (s: ContainerState) => Verdict<T>, waitSignal = signal): Promise<T> =>
    watch
      .until(id, judge, { deadline, signal: waitSignal })
      .catch((e: unknown) => {
        if (e instanceof ContainerFailed) return fail(service, `${service} ${e.message}`, e.state);
        if (e instanceof WaitExpired) return fail(service, describeWait(service, typeof what === 'string' ? what : what(), so.timeoutMs, e.state), e.state, true);
        throw e;
      });

  const waitReady = async (service: string, record: ServiceRecord): Promise<Readiness> => {
    const state = await runtime.inspectContainer(record.containerId);
    const ports = so.helperImage ? portsToWaitFor(so.project.services[service], state) : [];
    if (ports.length === 0) return waitFor(service, record.containerId, 'ready', judgeReady);
    return readyByPorts({
      runtime,
      target: { runId: so.ctx.runId, project: so.ctx.project, service, containerId: record.containerId },
      image: so.helperImage!,
      ports,
      signal,
      patienceMs: so.portPatienceMs ?? PORT_PATIENCE_MS,
      onGaveUp: (missing) => {
        const ports = missing.map((p) => `${p}/tcp`).join(', ');
        so.logger.warn({ service, ports: missing }, `declared port ${ports} not listening; ready anyway`);
        so.progress({ type: 'service', service, phase: 'waiting', detail: `declared port ${ports} not listening after ${formatDuration(so.portPatienceMs ?? PORT_PATIENCE_MS)}; going on`, ms: since() });
      },
      watchContainer: (judge, what, waitSignal) => waitFor(service, record.containerId, what, judge, waitSignal),
    });
  };

  const start = (service: string): Promise<ServiceRecord> => {
    let started = starts.get(service);
    if (!started) {
      started = (async () => {
        await settleAll(
          plan.waitsFor[service]!.map(async (dep) => {
            const depRecord = await start(dep.service);
            await waitFor(dep.service, depRecord.containerId, CONDITION_WORD[dep.condition], (s) => judgeCondition(dep.condition, s));
          }),
        );
        signal.throwIfAborted();
        return createAndStart(so, service, records, signal);
      })();
      starts.set(service, started);
    }
    return started;
  };

  const all = Object.keys(so.project.services).map(async (service) => {
    try {
      const record = await start(service);
      record.readiness = await waitReady(service, record);
      record.readyAt = Date.now();
      progress({ type: 'service', service, phase: 'ready', detail: record.readiness, ms: since() });
    } catch (e) {
      abort.abort(e); // fail fast: stop every other wait and creation now
      throw e;
    }
  });
  // Settled: a start still creating its container finishes before teardown lists what to remove.
  await settleAll(all);
  return records;
}

async function createAndStart(so: StartServicesOptions, service: string, records: Record<string, ServiceRecord>, signal: AbortSignal): Promise<ServiceRecord> {
  const { runtime, ctx, progress } = so;
  const spec = serviceContainerSpec(service, so.project.services[service]!, so.images[service]!, ctx);
  const files = serviceFiles(so.project, service, so.environment); // read before anything is made: checkStartable saw them readable
  const id = await runtime.createContainer(spec).catch((e: unknown) => {
    throw engineRefusal(service, 'could not be created', e);
  });
  ctx.containerIds[service] = id;
  const createdAt = Date.now();
  records[service] = { service, containerId: id, containerName: spec.name, createdAt, startedAt: createdAt, publishedPorts: [] };
  progress({ type: 'service', service, phase: 'created', ms: createdAt - so.startedAt, containerId: id });
  signal.throwIfAborted(); // created, so teardown will find it; never started after a failure elsewhere
  try {
    // Secrets and configs are in place before the service's first instruction runs.
    if (files.length) await runtime.putArchive(id, '/', await filesArchive(files));
    await runtime.startContainer(id);
  } catch (e) {
    if (e instanceof PortInUseError) {
      throw new EnvironmentError(`service ${service} could not publish host port ${e.hostPort}: it is already in use (${e.engineMessage})`, { service });
    }
    throw engineRefusal(service, 'could not start', e);
  }
  const record = records[service]!;
  record.startedAt = Date.now();
  progress({ type: 'service', service, phase: 'started', ms: record.startedAt - so.startedAt });
  // Followed from the beginning of the container's output, so nothing printed before this is lost.
  await so.logs?.follow(service, id).catch((e: unknown) => so.logger.warn({ service, err: e }, 'could not follow logs'));
  record.publishedPorts = (await runtime.inspectContainer(id)).publishedPorts;
  return record;
}

/** The engine refused a service (bad runtime, logging driver, platform...): say which, exit 3. Our own errors pass as they are. */
function engineRefusal(service: string, what: string, e: unknown): unknown {
  if (isEnvtestError(e) || e instanceof NameConflictError) return e;
  const message = e instanceof RuntimeError ? e.engineMessage : e instanceof Error ? e.message : String(e);
  return new EnvironmentError(`service ${service} ${what}: ${message}`, { service });
}
