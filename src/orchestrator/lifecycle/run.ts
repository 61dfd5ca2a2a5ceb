// `envtest run` as a library call: up (or attach), checks from the sidecar, artifacts, down.
// Teardown happens whatever happened before it, unless the caller keeps the environment.
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ResourceSampler } from '../sampling/resource-sampler.js';
import { Redactor } from '../../text/redact.js';
import { buildReport, type RunReport, type ServiceTiming } from '../../artifacts/report.js';
import { TransactionLog } from '../../artifacts/transactions-file.js';
import type { TeardownSummary } from '../../artifacts/report.js';
import { failureLogs } from '../sampling/failure-logs.js';
import { writeArtifacts } from '../../artifacts/write.js';
import { ArtifactsError, EnvironmentError, isEnvtestError } from '../../errors.js';
import type { SavedSnapshotFile, SnapshotMode } from '../../snapshot/book.js';
import { checkEnvironment, openSnapshots } from '../sidecar/check-environment.js';
import { formatDuration } from '../../model/duration.js';
import type { CheckResult, RunnerEvent } from '../../model/results.js';
import type { Transaction } from '../../model/transaction.js';
import type { Suite } from '../../model/suite.js';
import type { ResourceUsage } from '../../runtime/backend.js';
import type { Environment } from './environment.js';
import { deadlineSignal, InFlight } from './in-flight.js';
import { ignoreProgress } from './progress.js';
import { writeRunRecord } from './run-record.js';
import { releaseSidecar, startSidecar, type StartedSidecar } from '../sidecar/sidecar.js';
import type { TeardownReport } from '../cleanup/teardown.js';
import type { UpOptions } from './up.js';
import { up } from './up.js';

export interface RunOptions extends Omit<UpOptions, 'logsDir' | 'runId'> {
  runId: string;
  suites: Suite[];
  /** The run's artifacts go to `<artifactsDir>/<runId>/`. */
  artifactsDir: string;
  keep?: boolean;
  /** Use this environment instead of starting one; it is never torn down here. */
  attached?: Environment;
  sidecarImage?: string;
  concurrency?: number;
  /** Check progress: start, result, done (transactions go to `onTransaction`). */
  onCheck?: (event: RunnerEvent) => void;
  /** Each attempt and sample as it ends, after it is on disk in transactions.ndjson. */
  onTransaction?: (tx: Transaction) => void;
  /** How checks with `snapshot` compare, record and update (absent: no snapshot is read or written). */
  snapshots?: Omit<SnapshotMode, 'redact'>;
  onTeardown?: (report: TeardownReport) => void;
  /** Take the port inventory too: its findings become checks of the suite `ports`. */
  ports?: { strict: boolean };
  logger: Logger;
  /** The whole run (start and checks) must end within this; then it is torn down, failing (exit 3). */
  runTimeoutMs?: number;
  /** The command line that started this run, saved in reproduce.json (secrets as names). */
  commandLine?: string[];
}

export interface RunOutcome {
  /** The run as report.json has it. */
  report: RunReport;
  /** The run's folder: report.json, junit.xml, logs/, metrics, reproduce.json. */
  dir: string;
  /** The error that ended the run early (the stack did not come up, the run timed out or was aborted, the runner crashed). */
  error?: unknown;
  /** Snapshot files written by this run (recorded or updated entries). */
  snapshotFiles: SavedSnapshotFile[];
}

export async function runSuites(opts: RunOptions): Promise<RunOutcome> {
  const dir = join(opts.artifactsDir, opts.runId);
  const redactor = opts.redactor ?? new Redactor([]);
  // Before anything starts: a broken snapshot file is bad input, and nothing may be left behind for it.
  const snapshots = opts.snapshots ? await openSnapshots(opts.suites, opts.snapshots, redactor) : undefined;
  let snapshotFiles: SavedSnapshotFile[] = [];
  const startedAt = Date.now();
  let env: Environment | undefined = opts.attached;
  const results: CheckResult[] = [];
  let resources: Record<string, ResourceUsage[]> = {};
  let error: unknown;
  let removed: TeardownSummary | undefined;
  const transactions = new TransactionLog(dir, redactor);
  const warn = (message: string) => opts.progress?.({ type: 'warning', message });
  let transactionsFailed = false;
  let record: Promise<void> | undefined;
  const saveRecord = () => recordRun(opts, dir, redactor).catch((e: unknown) => warn(`reproduce.json could not be written to ${dir}: ${(e as Error).message}`));
  let retired: Promise<unknown> | undefined;
  const inFlight = new InFlight();
  const { runTimeoutMs } = opts;
  const limit =
    runTimeoutMs === undefined
      ? undefined
      : deadlineSignal(runTimeoutMs, () => new EnvironmentError(`the run did not finish within ${formatDuration(runTimeoutMs)} (--run-timeout): still ${inFlight.describe() ?? 'starting'}`));
  const signal = limit ? AbortSignal.any([...(opts.signal ? [opts.signal] : []), limit.signal]) : opts.signal;
  // Started before up, so the start is sampled too: containers join as they are created.
  const sampler = new ResourceSampler(opts.runtime).start();
  const mark = (phase: string, detail?: object) => opts.logger.debug({ phase, ...detail }, 'run phase');
  // performance.now() counts from the process's start: what loading and preparing took before this.
  mark('run', { sinceProcessStartMs: Math.round(performance.now()) });
  const progress = inFlight.listen((e) => {
    mark(e.type, e);
    (opts.progress ?? ignoreProgress)(e);
  });
  // Started while the stack comes up, so that the checks begin the moment it is ready.
  let sidecar: Promise<StartedSidecar> | undefined;
  try {
    env ??= await up({
      ...opts,
      logsDir: join(dir, 'logs'),
      redactor,
      signal,
      beside: opts.suites.length
        ? (networks, startSignal) =>
            (sidecar = startSidecar(opts.runtime, { runId: opts.runId, project: opts.project.name, networks: Object.values(networks) }, opts.sidecarImage, startSignal))
        : undefined,
      progress: (e) => {
        if (e.type === 'service' && e.containerId) sampler.track(e.service, e.containerId);
        if (e.type === 'service' && e.phase === 'started') sampler.started(e.service);
        progress(e);
      },
    });
    for (const s of Object.values(env.services)) sampler.track(s.service, s.containerId);
    // Needs nothing the checks or the teardown change: its engine calls (each image's id) are made
    // while the checks run, where beside the teardown they slowed the removals.
    if (!opts.attached) record = saveRecord();
    mark('checks');
    await checkEnvironment({
      runtime: opts.runtime,
      env,
      suites: opts.suites,
      concurrency: opts.concurrency,
      sidecarImage: opts.sidecarImage,
      ports: opts.ports,
      snapshots,
      started: sidecar,
      // One engine call fewer between the checks and the teardown, which removes it with the rest;
      // a kept stack has its sidecar removed below. An attached run's sidecar goes at once.
      leaveSidecar: !opts.attached,
      logger: opts.logger,
      signal,
      onEvent: (e) => {
        inFlight.check(e);
        if (e.type !== 'transaction') return opts.onCheck?.(e);
        const { type: _type, ...tx } = e;
        try {
          if (!transactionsFailed) transactions.write(tx);
        } catch (failed) {
          transactionsFailed = true;
          warn(`transactions could not be written to ${dir}, the rest are not saved: ${(failed as Error).message}`);
        }
        opts.onTransaction?.(tx);
      },
    }, results);
    // Only a run that finished its checks may write: an interrupted one saw only some answers.
    if (snapshots) snapshotFiles = await snapshots.save();
  } catch (e) {
    // After a signal or the run's time limit, whatever the interrupted call threw is noise: that is why the run ended.
    if (signal?.aborted && e !== signal.reason) opts.logger.debug({ err: e }, 'error after interruption');
    error = signal?.aborted ? signal.reason : e;
  } finally {
    mark('checks done');
    limit?.clear();
    transactions.close();
    // A start that failed is recorded too: reproducing it is how it gets looked at.
    if (!opts.attached) record ??= saveRecord();
    const sampling = sampler.finish();
    mark('sampler ticks stopped');
    try {
      // Kept on failure for inspection, never after a signal: 130/143 promise a teardown.
      const failed = error !== undefined || results.some((r) => r.status === 'failed');
      const keep = opts.keep || (opts.keepOnFailure && failed && !opts.signal?.aborted);
      if (env && !opts.attached && !keep) {
        // A container's last resource reading still on its way holds that container's removal only.
        const stages = env.downInStages({ holdRemoval: sampling.heldFor });
        // The reaper goes while the artifacts are written; both are awaited before the run returns.
        retired = stages.done.catch(() => undefined); // a failure there is the teardown's, caught below
        const report = await stages.removed;
        mark('torn down');
        removed = report;
        opts.onTeardown?.(report);
      } else if (env && !opts.attached) {
        await dropSidecar(sidecar);
        await env.detach();
      } else if (!env) {
        // A start that failed: up removed the sidecar with the rest, unless the stack is kept.
        await dropSidecar(sidecar);
      }
    } catch (e) {
      // A teardown failure must not hide why the run ended, nor stop the artifacts being written.
      opts.logger.error({ err: e }, 'teardown failed');
      error ??= e;
    }
    resources = await sampling.samples();
  }
  const report = buildReport({
    runId: opts.runId,
    project: env?.project.name ?? opts.project.name,
    startedAt,
    finishedAt: Date.now(),
    services: env ? timings(env) : [],
    results,
    environmentStartedAt: env?.startedAt,
    teardown: removed,
    // Read after teardown, when every service's log has been flushed to disk.
    logsFor: env ? await failureLogs(env, opts.attached ? { runtime: opts.runtime } : { logsDir: join(dir, 'logs') }, results) : undefined,
    error: error === undefined ? undefined : isEnvtestError(error) ? error.message : String(error),
  });
  mark('report built');
  try {
    await writeArtifacts(dir, report, results, resources, redactor);
  } catch (e) {
    // Never in place of the error that ended the run: that one is what the user must see first.
    const problem = `the artifacts could not be written to ${dir}: ${(e as Error).message}`;
    opts.logger.error({ err: e }, 'artifacts not written');
    if (error === undefined) error = new ArtifactsError(problem, { cause: e });
    else warn(problem);
  }
  await Promise.all([record, retired]);
  mark('artifacts written');
  return { report, dir, error, snapshotFiles };
}

/** The sidecar is not part of a kept stack (done, or never given its job: then it would wait forever). */
async function dropSidecar(sidecar: Promise<StartedSidecar> | undefined): Promise<void> {
  await sidecar?.then(({ job }) => releaseSidecar(job)).catch(() => undefined);
}

/** reproduce.json. An attached run did not bring its environment up, so it has nothing to reproduce it from. */
function recordRun(opts: RunOptions, dir: string, redactor: Redactor): Promise<void> {
  return writeRunRecord(dir, {
    runtime: opts.runtime,
    runId: opts.runId,
    project: opts.project,
    suites: opts.suites,
    environment: opts.environment ?? process.env,
    commandLine: opts.commandLine ?? [],
    options: { egress: opts.egress, publish: opts.publish, timeoutMs: opts.timeoutMs, concurrency: opts.concurrency, sidecarImage: opts.sidecarImage },
    redactor,
  });
}

/** When each service was created, started and ready, relative to the environment's start. */
export function timings(env: Environment): ServiceTiming[] {
  return Object.values(env.services)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((s) => ({
      name: s.service,
      containerName: s.containerName,
      readiness: s.readiness,
      ...(s.readinessSource ? { readinessSource: s.readinessSource } : {}),
      createdMs: s.createdAt - env.startedAt,
      startedMs: s.startedAt - env.startedAt,
      readyMs: s.readyAt === undefined ? undefined : s.readyAt - env.startedAt,
      ...(s.nodes?.length ? { node: s.nodes.join(', ') } : {}),
    }));
}
