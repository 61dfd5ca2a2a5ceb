// Bring a normalized project up for one run: images, networks, volumes, then every service as soon
// as its own dependencies meet their conditions. On any failure everything made is removed (unless
// asked to keep it) and the original error is what the caller sees.
import pino, { type Logger } from 'pino';
import { Redactor } from '../artifacts/redact.js';
import { lastLogLines, ServiceLogs } from '../artifacts/service-logs.js';
import { EnvironmentError, WaitTimeoutError } from '../errors.js';
import type { ComposeProject, DependencyCondition } from '../model/project.js';
import { planStart, type StartPlan } from '../planner/plan.js';
import { LABEL, runLabels } from '../runtime/labels.js';
import type { ContainerRuntime, ContainerState } from '../runtime/runtime.js';
import { ContainerFailed, ContainerWatch } from './container-watch.js';
import { Environment, type ServiceRecord } from './environment.js';
import { abortable } from './abortable.js';
import { refuseEngineSocket } from './engine-socket.js';
import { ensureImages } from './images.js';
import { ignoreProgress, type ProgressListener } from './progress.js';
import { startReaper, type ReaperHandle, type ReaperOptions } from './reaper.js';
import { describeWait, judgeCondition, judgeReady } from './readiness.js';
import { checkRunId, generateRunId } from './run-id.js';
import { serviceContainerSpec, type RunContext } from './service-spec.js';
import { runSelector, teardown } from './teardown.js';

export interface UpOptions {
  runtime: ContainerRuntime;
  project: ComposeProject;
  runId?: string;
  /** The whole start, images excluded, must finish within this. */
  timeoutMs?: number;
  /** Networks are `internal` (no way out) unless this is set. */
  egress?: boolean;
  /** Publish declared `ports:`, on free host ports or as declared. Publishing needs a non-internal network. */
  publish?: 'free' | 'declared';
  /** The environment is meant to outlive this process (`envtest up`): never counted as stale. */
  detached?: boolean;
  keepOnFailure?: boolean;
  /** When to build `build:` images: every run (default, layer-cached) or only when missing. */
  build?: 'always' | 'missing';
  /** Where logs/<service>.log go; no log files when absent. */
  logsDir?: string;
  redactor?: Redactor;
  logger?: Logger;
  progress?: ProgressListener;
  signal?: AbortSignal;
  /** Let services bind-mount the engine socket (refused by default). */
  allowEngineSocket?: boolean;
  /** Start a reaper first, so even a SIGKILLed orchestrator leaves nothing behind. */
  reaper?: ReaperOptions;
}

const CONDITION_WORD: Record<DependencyCondition, string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed successfully',
};

/** Everything about the input that can be refused without an engine. Throws ValidationError. */
export function checkStartable(project: ComposeProject, opts: Pick<UpOptions, 'allowEngineSocket'> = {}): StartPlan {
  const plan = planStart(project);
  if (!opts.allowEngineSocket) refuseEngineSocket(project);
  return plan;
}

export async function up(opts: UpOptions): Promise<Environment> {
  const { runtime, project } = opts;
  const plan = checkStartable(project, opts); // Invalid input fails before any engine call.
  const runId = checkRunId(opts.runId ?? generateRunId());
  const logger = (opts.logger ?? pino({ level: 'silent' })).child({ run: runId });
  const progress = opts.progress ?? ignoreProgress;
  await runtime.ping();

  const watch = new ContainerWatch(runtime, runId);
  const logs = opts.logsDir ? new ServiceLogs(runtime, opts.logsDir, opts.redactor ?? new Redactor([])) : undefined;
  const startedAt = Date.now();
  let reaper: ReaperHandle | undefined;
  try {
    if (opts.reaper) reaper = await startReaper(runtime, runId, project.name, opts.reaper);
    opts.signal?.throwIfAborted();
    const images = await abortable(ensureImages({ runtime, project, build: opts.build, logger, progress, signal: opts.signal }), opts.signal);
    opts.signal?.throwIfAborted();
    const networks = await createNetworks(opts, runId);
    const volumes = await createVolumes(opts, runId);
    const ctx: RunContext = { runId, project: project.name, networks, volumes, containerIds: {}, publish: opts.publish, extraLabels: extraLabels(opts) };
    const services = await startServices({ opts, plan, ctx, images, watch, logs, logger, progress, startedAt });
    logger.info({ services: Object.keys(services), ms: Date.now() - startedAt }, 'environment ready');
    return new Environment(runId, project, networks, services, startedAt, runtime, logger, { watch, logs, reaper });
  } catch (error) {
    await watch.close();
    if (!opts.keepOnFailure) {
      // The original error is what matters; a teardown problem is logged, not thrown over it.
      const report = await teardown(runtime, runSelector(runId), { logger }).catch((e: unknown) => {
        logger.error({ err: e }, 'teardown after failed start failed');
        return undefined;
      });
      if (report) progress({ type: 'teardown', removed: countRemoved(report.removed), failed: report.failed.length, ms: report.ms });
    }
    reaper?.release();
    await logs?.flush();
    throw error;
  }
}

function engineMessage(e: unknown): string {
  return ((e as { json?: { message?: string } }).json?.message ?? (e instanceof Error ? e.message : String(e))).trim();
}

function startFailure(service: string, e: unknown): EnvironmentError {
  const message = engineMessage(e);
  const conflict = /(?:Bind for |listen tcp[46]? )([\d.:[\]a-f]*:(\d+))/i.exec(message);
  if (conflict && /already allocated|address already in use/i.test(message)) {
    return new EnvironmentError(`service ${service} could not publish host port ${conflict[1]}: it is already in use (${message})`, { service });
  }
  return new EnvironmentError(`service ${service} could not start: ${message}`, { service });
}

function extraLabels(opts: UpOptions): Record<string, string> {
  return opts.detached ? { [LABEL.detached]: 'true' } : {};
}

function countRemoved(r: { containers: string[]; networks: string[]; volumes: string[] }): number {
  return r.containers.length + r.networks.length + r.volumes.length;
}

async function createNetworks(opts: UpOptions, runId: string): Promise<Record<string, string>> {
  const { project } = opts;
  const used = new Set<string>();
  for (const s of Object.values(project.services)) {
    if (s.network_mode) continue;
    for (const key of Object.keys(s.networks ?? { default: null })) used.add(key);
  }
  const names: Record<string, string> = {};
  await Promise.all(
    [...used].map(async (key) => {
      const declared = project.networks?.[key];
      if (declared?.external) {
        names[key] = declared.name ?? key;
        return;
      }
      const name = `${project.name}-${runId}_${key}`;
      const internal = declared?.internal === true || !(opts.egress || opts.publish);
      await opts.runtime
        .createNetwork({ name, internal, labels: { ...declared?.labels, ...extraLabels(opts), ...runLabels(runId, project.name) } })
        .catch((e: unknown) => {
          const message = engineMessage(e);
          if (!/address pool/i.test(message)) throw e;
          throw new EnvironmentError(
            `the engine has no free address range for network ${name} (${message}). Too many networks exist: remove stale runs with \`envtest down --all --stale\`, or give the engine more room with "default-address-pools" in its daemon.json, e.g. {"default-address-pools":[{"base":"10.213.0.0/16","size":24}]}`,
          );
        });
      names[key] = name;
    }),
  );
  return names;
}

async function createVolumes(opts: UpOptions, runId: string): Promise<Record<string, string>> {
  const { project } = opts;
  const names: Record<string, string> = {};
  await Promise.all(
    Object.entries(project.volumes ?? {}).map(async ([key, declared]) => {
      if (declared?.external) {
        names[key] = declared.name ?? key;
        return;
      }
      // Per run: parallel runs must not share (or wipe) each other's data.
      const name = `${project.name}-${runId}_${key}`;
      await opts.runtime.createVolume(name, { ...declared?.labels, ...extraLabels(opts), ...runLabels(runId, project.name) });
      names[key] = name;
    }),
  );
  return names;
}

interface StartContext {
  opts: UpOptions;
  plan: StartPlan;
  ctx: RunContext;
  images: Record<string, string>;
  watch: ContainerWatch;
  logs?: ServiceLogs;
  logger: Logger;
  progress: ProgressListener;
  /** The origin of every time this run reports, so terminal, summary and report agree. */
  startedAt: number;
}

async function startServices(sc: StartContext): Promise<Record<string, ServiceRecord>> {
  const { opts, plan, ctx, images, watch, progress } = sc;
  const { runtime, project } = opts;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const began = sc.startedAt;
  const deadline = Date.now() + timeoutMs;
  const abort = new AbortController();
  const stopOnOuterAbort = () => abort.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', stopOnOuterAbort, { once: true });
  const records: Record<string, ServiceRecord> = {};
  const starts = new Map<string, Promise<ServiceRecord>>();

  const reported = new Set<string>();
  const fail = async (service: string, reason: string, state?: ContainerState, timeout = false): Promise<never> => {
    const id = records[service]?.containerId;
    const lastLogs = id ? await lastLogLines(runtime, id) : [];
    const redactor = opts.redactor ?? new Redactor([]);
    // A dependent's wait and the service's own readiness wait may both see the same failure.
    if (!reported.has(service)) progress({ type: 'service', service, phase: 'failed', detail: reason, ms: Date.now() - began });
    reported.add(service);
    const details = { service, lastLogs: lastLogs.map((l) => redactor.redact(l)), healthOutput: state?.lastHealthOutput && redactor.redact(state.lastHealthOutput) };
    throw timeout ? new WaitTimeoutError(reason, details) : new EnvironmentError(`service ${reason}`, details);
  };

  const waitFor = <T>(service: string, id: string, what: string, judge: Parameters<ContainerWatch['until']>[1]) =>
    watch
      .until(id, judge, {
        deadline,
        signal: abort.signal,
        onTimeout: (s) => new TimeoutMarker(describeWait(service, what, timeoutMs, s), s),
      })
      .catch((e: unknown) => {
        if (e instanceof ContainerFailed) return fail(service, `${service} ${e.message}`, e.state);
        if (e instanceof TimeoutMarker) return fail(service, e.message, e.state, true);
        throw e;
      }) as Promise<T>;

  const start = (service: string): Promise<ServiceRecord> => {
    let started = starts.get(service);
    if (!started) {
      started = (async () => {
        await Promise.all(
          plan.waitsFor[service]!.map(async (dep) => {
            const depRecord = await start(dep.service);
            await waitFor(dep.service, depRecord.containerId, CONDITION_WORD[dep.condition], (s) => judgeCondition(dep.condition, s));
          }),
        );
        abort.signal.throwIfAborted();
        return createAndStart(sc, service, images[service]!, records, began);
      })();
      starts.set(service, started);
    }
    return started;
  };

  try {
    await Promise.all(
      Object.keys(project.services).map(async (service) => {
        const record = await start(service);
        record.readiness = await waitFor(service, record.containerId, 'ready', (s) => judgeReady(s));
        record.readyAt = Date.now();
        progress({ type: 'service', service, phase: 'ready', detail: record.readiness, ms: record.readyAt - began });
      }),
    );
    return records;
  } catch (e) {
    abort.abort(e);
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', stopOnOuterAbort);
  }
}

class TimeoutMarker extends Error {
  constructor(
    message: string,
    readonly state: ContainerState,
  ) {
    super(message);
  }
}

async function createAndStart(sc: StartContext, service: string, image: string, records: Record<string, ServiceRecord>, began: number): Promise<ServiceRecord> {
  const { opts, ctx, logs, progress } = sc;
  const { runtime, project } = opts;
  const spec = serviceContainerSpec(service, project.services[service]!, image, ctx);
  const id = await runtime.createContainer(spec);
  ctx.containerIds[service] = id;
  const createdAt = Date.now();
  progress({ type: 'service', service, phase: 'created', ms: createdAt - began });
  try {
    await runtime.startContainer(id);
  } catch (e) {
    throw startFailure(service, e);
  }
  const startedAt = Date.now();
  progress({ type: 'service', service, phase: 'started', ms: startedAt - began });
  // Followed from the beginning of the container's output, so nothing printed before this is lost.
  await logs?.follow(service, id).catch((e: unknown) => sc.logger.warn({ service, err: e }, 'could not follow logs'));
  const state = await runtime.inspectContainer(id);
  const record: ServiceRecord = { service, containerId: id, containerName: spec.name, createdAt, startedAt, publishedPorts: state.publishedPorts };
  records[service] = record;
  return record;
}
