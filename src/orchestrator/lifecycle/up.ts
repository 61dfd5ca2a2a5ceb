// Bring a normalized project up for one run: images, the reaper, networks and volumes, and the
// services (start-services.ts), each as soon as what it needs is there. On any failure everything made is removed (unless asked to keep it) and the
// original error is what the caller sees.
import pino, { type Logger } from 'pino';
import { Redactor } from '../../text/redact.js';
import { UsageError, ValidationError, WaitTimeoutError } from '../../errors.js';
import { formatDuration } from '../../model/duration.js';
import { NameConflictError } from '../../runtime/errors.js';
import type { ComposeProject, LoadedProject } from '../../model/project.js';
import { planStart, type StartPlan } from '../../planner/plan.js';
import { LABEL, runLabels } from '../../runtime/labels.js';
import type { Backend } from '../../runtime/backend.js';
import { abortable } from '../../timing/abortable.js';
import { ContainerWatch } from '../readiness/container-watch.js';
import { checkBuildContexts } from '../images/build-contexts.js';
import { refuseEngineSocket, type SocketGuard } from '../spec/engine-socket.js';
import { Environment, replicasOf, type ServiceRecord } from './environment.js';
import { startImages, type BuildPolicy } from '../images/images.js';
import { currentOwner, ownerLabels } from '../cleanup/owner.js';
import { deadlineSignal, InFlight } from './in-flight.js';
import { ignoreProgress, type ProgressListener } from './progress.js';
import { retireReaper, startReaper, type ReaperHandle, type ReaperOptions } from '../cleanup/reaper.js';
import { checkRunId, generateRunId } from './run-id.js';
import { createNetworks, createVolumes } from './run-resources.js';
import type { RunContext } from '../spec/service-spec.js';
import { checkReplicas } from '../spec/replicas.js';
import { checkServiceFiles } from '../spec/service-files.js';
import { refuseUnstartableKeys } from '../spec/unstartable-keys.js';
import { ServiceLogs } from '../sampling/service-logs.js';
import { sweepUnstartedReapers } from '../cleanup/stale.js';
import { settleAll } from './settle.js';
import { startServices } from './start-services.js';
import { resolveSidecarImage } from '../sidecar/sidecar.js';
import { checkEnvtestExtension } from '../ports/port-readiness.js';
import { runSelector, teardown } from '../cleanup/teardown.js';

/** How long after the deadline the backstop fires, so that the readiness waits' own messages win. */
const DEADLINE_BACKSTOP_MS = 500;

export interface UpOptions {
  runtime: Backend;
  project: ComposeProject;
  runId?: string;
  /** The whole start, builds and pulls included, must finish within this (default 120 s). */
  timeoutMs?: number;
  /** Networks are `internal` (no way out) unless this is set. */
  egress?: boolean;
  /** Publish declared `ports:`, on free host ports or as declared. Publishing needs a non-internal network. */
  publish?: 'free' | 'declared';
  /** The environment is meant to outlive this process (`envtest up`): never counted as stale. */
  detached?: boolean;
  keepOnFailure?: boolean;
  /** When to build `build:` images: when their inputs changed (default), every run, or only when missing. */
  build?: BuildPolicy;
  /** Where logs/<service>.log go; no log files when absent. */
  logsDir?: string;
  redactor?: Redactor;
  logger?: Logger;
  progress?: ProgressListener;
  signal?: AbortSignal;
  /** Where `environment:`-sourced secrets and configs are read (LoadedProject.environment); default process.env. */
  environment?: Record<string, string | undefined>;
  /** Let services bind-mount the engine socket (refused by default). */
  allowEngineSocket?: boolean;
  /** Where a key path of the project came from (LoadedProject.locate), so refusals name file and line. */
  locate?: LoadedProject['locate'];
  /** Start a reaper first, so even a SIGKILLed orchestrator leaves nothing behind. */
  reaper?: ReaperOptions;
  /** Image of the helper that reads listening ports for readiness (default: the sidecar image). */
  helperImage?: string;
  /** How long a service may take to open its declared ports before it counts as ready anyway (default 30 s). */
  portPatienceMs?: number;
  /**
   * Work for after the start (the check sidecar), begun beside the services once the run's networks
   * exist and every service that waits for nothing has started. What it makes must carry the run's
   * label; it settles before `up` returns or tears down.
   */
  beside?: (networks: Record<string, string>, signal: AbortSignal) => Promise<unknown>;
}

/** Everything about the input that can be refused without an engine. Throws ValidationError. */
export function checkStartable(project: ComposeProject, opts: Pick<UpOptions, 'allowEngineSocket' | 'environment' | 'publish'> & SocketGuard = {}): StartPlan {
  refuseEmptyProject(project, opts.locate);
  const plan = planStart(project, opts.locate);
  checkReplicas(project, opts);
  if (!opts.allowEngineSocket) refuseEngineSocket(project, opts);
  // A missing secret file or variable is the user's to fix, not the engine's.
  checkServiceFiles(project, opts.environment, opts.locate);
  refuseUnstartableKeys(project, opts.locate);
  checkBuildContexts(project);
  checkEnvtestExtension(project);
  return plan;
}

/** Nothing to start is a mistake in the input, not a run that "is up" (compose: "no service selected"). */
function refuseEmptyProject(project: ComposeProject, locate?: LoadedProject['locate']): void {
  if (Object.keys(project.services).length) return;
  const message = 'no service to start: the project has no services, or none in the active profiles; add one under services (or pass --profile)';
  throw new ValidationError([{ ...locate?.(['services']), path: 'services', message }], 'compose project');
}

export async function up(opts: UpOptions): Promise<Environment> {
  const { runtime, project } = opts;
  const plan = checkStartable(project, { ...opts, engineEndpoint: runtime.endpoint }); // Invalid input fails before any engine call.
  const runId = checkRunId(opts.runId ?? generateRunId());
  const logger = (opts.logger ?? pino({ level: 'silent' })).child({ run: runId });
  const inFlight = new InFlight();
  const progress = inFlight.listen(opts.progress ?? ignoreProgress);
  const interrupt = opts.signal ?? new AbortController().signal;
  const redactor = opts.redactor ?? new Redactor([]);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  interrupt.throwIfAborted();
  refuseUnpushableBuilds(runtime, project);
  // Both at once; no engine is said as no engine (the ping's message), not as a failed lookup.
  const [pinged, free] = await Promise.allSettled([runtime.ping(), refuseTakenRunId(runtime, runId)]);
  if (pinged.status === 'rejected') throw pinged.reason;
  if (free.status === 'rejected') throw free.reason;

  const startedAt = Date.now();
  // The whole start is bounded. Readiness waits expire at the deadline with their own precise
  // messages; this backstop, a moment later, cuts off whatever else still blocks (a build, a pull).
  const deadline = deadlineSignal(
    timeoutMs + DEADLINE_BACKSTOP_MS,
    () => new WaitTimeoutError(`the start did not finish within ${formatDuration(timeoutMs)}: still ${inFlight.describe() ?? 'waiting for the engine'}`),
  );
  // Builds, the reaper, networks and services run side by side: the first failure of any stops the rest.
  const failFast = new AbortController();
  const signal = AbortSignal.any([interrupt, deadline.signal, failFast.signal]);
  /** Work that makes run resources: all of it settles before teardown looks, so nothing it makes outlives the run. */
  const making: Promise<unknown>[] = [];
  const track = <T>(work: Promise<T>, makesResources = true): Promise<T> => {
    if (makesResources) making.push(work);
    work.catch((e: unknown) => failFast.abort(e));
    return work;
  };
  // On everything the run makes: who owns it (the stale sweep spares it while that process lives), and whether it is meant to outlive it.
  const runExtraLabels: Record<string, string> = { ...ownerLabels(currentOwner()), ...(opts.detached ? { [LABEL.detached]: 'true' } : {}) };
  let watch: ContainerWatch | undefined;
  let logs: ServiceLogs | undefined;
  let reaper: ReaperHandle | undefined;
  try {
    watch = new ContainerWatch(runtime, runId);
    logs = opts.logsDir ? new ServiceLogs(runtime, opts.logsDir, redactor, (message) => progress({ type: 'warning', message })) : undefined;
    // Images make nothing labelled with the run, so they need not wait for the reaper; everything
    // that does is made only once the reaper runs holding this process's connection, so a SIGKILL
    // at any moment leaves nothing. (Where the first socket's reaper then finds it cannot reach the
    // engine and the next socket is tried, what was made meanwhile waits for that one.)
    const images = startImages({ runtime, project, build: opts.build, logger, progress, signal, locate: opts.locate });
    for (const ready of Object.values(images.ready)) track(ready, false);
    const helperImage = track(portHelperImage(runtime, opts.helperImage, logger, progress), false);
    let reaperRunning = () => undefined as void;
    const guarded = new Promise<void>((resolve) => (reaperRunning = resolve));
    const watched = track(
      (async () => {
        if (!opts.reaper) return;
        // Other runs' orphans: nothing this run's reaper needs to wait for.
        const swept = sweepUnstartedReapers(runtime);
        swept.catch(() => undefined); // awaited below, once the reaper is up
        const warn = (message: string) => {
          logger.warn(message);
          progress({ type: 'warning', message });
        };
        reaper = await startReaper(runtime, runId, project.name, opts.reaper, { signal, labels: runExtraLabels, warn, onRunning: reaperRunning });
        await swept;
      })(),
    );
    const resources = { runtime, project, runId, labels: { ...runExtraLabels, ...runLabels(runId, project.name) }, egress: !!(opts.egress || opts.publish) };
    // Settled, not raced: a volume still being created when a network fails must exist before teardown looks.
    const made = track(Promise.race([guarded, watched]).then(() => (signal.throwIfAborted(), settleAll([createNetworks(resources), createVolumes(resources)]))));
    const [networks, volumes] = await abortable(made, signal);
    // Begun once the services that wait for nothing have started: on a small engine a container
    // start and the runner's load beside them slowed those starts (and a database's first
    // readiness), which are the critical path, while the checks are far off.
    let firstWaveStarted = () => undefined as void;
    const firstWave = new Promise<void>((resolve) => (firstWaveStarted = resolve));
    const besides = opts.beside && track(abortable(firstWave, signal).then(() => opts.beside!(networks, signal)));
    const ctx: RunContext = { runId, project: project.name, networks, volumes, containerIds: {}, publish: opts.publish, extraLabels: runExtraLabels };
    const services = await track(
      (async () =>
        startServices({
          runtime, project, plan, ctx, images: images.names, watch, logs, logger, progress, redactor, signal, startedAt,
          imageReady: (service) => images.ready[service]!,
          helperImage: await abortable(helperImage, signal),
          portPatienceMs: opts.portPatienceMs,
          onFirstWaveStarted: firstWaveStarted,
          environment: opts.environment ?? process.env,
          timeoutMs,
        }))(),
    );
    await besides;
    // Long done (the services waited for it to run): the environment holds the handle.
    await watched;
    // A signal that arrived during the last readiness check still means "do not leave it running".
    signal.throwIfAborted();
    if (runtime.limits?.spreadsOverNodes) await recordNodes(runtime, services);
    logger.info({ services: Object.keys(services), ms: Date.now() - startedAt }, 'environment ready');
    return new Environment(runId, project, networks, services, startedAt, runtime, logger, { watch, logs, reaper });
  } catch (thrown) {
    failFast.abort(thrown);
    // Whatever was still making a reaper, a network or a container has finished before teardown looks.
    await Promise.allSettled(making);
    await watch?.close();
    // After a signal, the deadline or a sibling's failure, whatever the interrupted call threw is noise: that is why the start ended.
    const error = signal.aborted ? signal.reason : thrown;
    if (error instanceof NameConflictError) {
      // Another process took this run id between our check and our first create: what carries
      // the id is theirs, so nothing is torn down, and our reaper goes before it could reap it.
      await stopLogs(logs);
      await reaper?.remove().catch((e: unknown) => logger.error({ err: e }, 'could not remove the reaper after a run id conflict'));
      throw new UsageError(`run id ${runId} was taken by another envtest process while this one started: pick another`);
    }
    if (opts.keepOnFailure) {
      // Kept for inspection: the reaper must not reap it once this process is gone.
      await stopLogs(logs);
      await reaper?.remove().catch((e: unknown) => logger.error({ err: e }, 'could not remove the reaper of a kept stack'));
      throw error;
    }
    // The original error is what matters; a teardown problem is logged, not thrown over it.
    const report = await teardown(runtime, runSelector(runId), { logger, exceptContainer: reaper?.containerId }).catch((e: unknown) => {
      logger.error({ err: e }, 'teardown after failed start failed');
      return undefined;
    });
    if (reaper) await retireReaper(reaper, report);
    // Only now: with the containers gone their log streams have ended, so nothing is waited for.
    await logs?.flush();
    if (report) progress({ type: 'teardown', removed: countRemoved(report.removed), failed: report.failed.length, ms: report.ms });
    throw error;
  } finally {
    deadline.clear();
  }
}

/** Where a backend spread the replicas, once they run: report.json names the node of each service. */
async function recordNodes(runtime: Backend, services: Record<string, ServiceRecord>): Promise<void> {
  await Promise.all(
    Object.values(services).map(async (s) => {
      const nodes = await Promise.all(replicasOf(s).map(async (r) => (await runtime.serviceState(r.containerId)).nodes ?? []));
      s.nodes = [...new Set(nodes.flat())].sort();
    }),
  );
}

/** Stops following containers that stay up, keeping what was written. */
async function stopLogs(logs: ServiceLogs | undefined): Promise<void> {
  logs?.stop();
  await logs?.flush();
}

/** Without an image to read ports with (offline, no sidecar image), services fall back to the 1 s rule. */
async function portHelperImage(runtime: Backend, requested: string | undefined, logger: Logger, progress: ProgressListener): Promise<string | undefined> {
  if (runtime.limits?.shareNetworkNamespace === false) {
    // The helper reads a service's ports from inside its network namespace, which only its own machine can join.
    progress({ type: 'warning', message: 'this backend cannot read a service\'s listening ports (its replicas may run on other machines): services without a health check are ready after 1 s running' });
    return undefined;
  }
  const image = await resolveSidecarImage(runtime, requested);
  if (await runtime.imageExists(image)) return image;
  try {
    await runtime.pullImage(image);
    return image;
  } catch (e) {
    logger.warn({ err: e, image }, 'no image to read listening ports with: services without a health check are ready after 1 s running');
    return undefined;
  }
}

/** Nodes pull what is built here from a registry: without one, refused before anything starts. */
function refuseUnpushableBuilds(runtime: Backend, project: ComposeProject): void {
  if (!runtime.limits?.buildsNeedRegistry || runtime.registry) return;
  const built = Object.entries(project.services).flatMap(([name, s]) => (s.build ? [name] : []));
  if (built.length === 0) return;
  throw new UsageError(
    `service${built.length > 1 ? 's' : ''} ${built.join(', ')} ${built.length > 1 ? 'are' : 'is'} built here, but a swarm's nodes pull images from a registry: pass --registry host:port (or set ENVTEST_REGISTRY) naming one every node can pull from`,
  );
}

/** Reusing a live run's id would make this run's failure path tear down the other one. */
async function refuseTakenRunId(runtime: Backend, runId: string): Promise<void> {
  const existing = await runtime.list(runSelector(runId));
  const count = existing.containers.length + existing.networks.length + existing.volumes.length;
  if (count > 0) throw new UsageError(`run id ${runId} is already in use on this engine (${count} resources): pick another, or remove it with \`envtest down ${runId}\``);
}

function countRemoved(r: { containers: string[]; networks: string[]; volumes: string[] }): number {
  return r.containers.length + r.networks.length + r.volumes.length;
}
