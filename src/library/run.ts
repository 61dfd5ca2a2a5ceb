// `run()`: `envtest run` as a library call. Start a stack (or attach to one that is up), take the
// port inventory and run suites from a sidecar, compare snapshots, write the run folder (report.json,
// JUnit, logs, metrics, reproduce.json), and tear down whatever happened, unless asked to keep it.
import pino, { type Logger } from 'pino';
import { unwritableDirProblem } from '../artifacts/writable-dir.js';
import type { RunReport } from '../artifacts/report.js';
import { isCI } from '../ci.js';
import { UsageError, type Problem } from '../errors.js';
import type { RunnerEvent } from '../model/results.js';
import { DEFAULT_CONCURRENCY, type Suite } from '../model/suite.js';
import type { Transaction } from '../model/transaction.js';
import { attach } from '../orchestrator/lifecycle/attach.js';
import type { ProgressEvent } from '../orchestrator/lifecycle/progress.js';
import { runSuites, type RunOutcome as SuitesOutcome } from '../orchestrator/lifecycle/run.js';
import { resolveSidecarImage } from '../orchestrator/sidecar/sidecar.js';
import { checkSidecarImage } from '../orchestrator/images/sidecar-image.js';
import { runSelector } from '../orchestrator/cleanup/teardown.js';
import type { Redactor } from '../text/redact.js';
import { portsOption, type SnapshotOptions } from './check.js';
import { connectEngine, engineForOneRun, type Backend } from './engine.js';
import type { DownReport } from './environment.js';
import { durationOption, type PreparedUp, type UpOptions } from './prepare.js';
import { prepareStartOrAttach } from './start-or-attach.js';
import { redactorFor } from './secrets.js';
import { reaperImageFor, upSettingsOf } from './start.js';

/** What {@link run} takes: `up()`'s options (unless `attach`), and `envtest run`'s own. */
export interface RunOptions extends UpOptions {
  /** The suites to run (see loadSuites). Required unless `ports` is set. */
  suites?: Suite[];
  /** The run's folder is `<artifactsDir>/<runId>/` (`--artifacts`). Default: ENVTEST_ARTIFACTS, else `.envtest/runs`. */
  artifactsDir?: string;
  /** Run against the environment already up with this run id, and leave it up (`--attach`); no compose files are read. */
  attach?: string;
  /** Leave the environment up afterwards (`--keep`); remove it later with `envtest down <runId>`. */
  keep?: boolean;
  /** Checks running at the same time (`--concurrency`, default 8). */
  concurrency?: number;
  /** The whole run, start and checks, must end within this (`--run-timeout`): milliseconds or `'10m'`; else it is torn down with an EnvironmentError. */
  runTimeout?: number | string;
  /** How checks with `snapshot` compare (`-u` is `update: true`); `recordCommand` is what a missing snapshot's message says to run. */
  snapshots?: SnapshotOptions & { recordCommand?: string };
  /** Take the port inventory too (`--ports`, `{ strict: true }` is `--strict-ports`): its findings become checks of the suite `ports`. */
  ports?: boolean | { strict?: boolean };
  /** Each runner event: a check started, a result (snapshots judged), a transaction, done. */
  onCheck?: (event: RunnerEvent) => void;
  /** Each attempt and sample as it ends, after it is on disk in transactions.ndjson. */
  onTransaction?: (tx: Transaction) => void;
  /** The start's progress: images, services created, started, ready, warnings. */
  onProgress?: (event: ProgressEvent) => void;
  /** What the teardown at the end removed. */
  onTeardown?: (report: DownReport) => void;
  /** The command line saved in reproduce.json (secrets as names). */
  commandLine?: string[];
}

/** How a {@link run} ended: failed checks are in `report`, what ended it early (if anything) in `error`. */
export interface RunOutcome extends SuitesOutcome {
  /** Whether the environment is still up afterwards (`keep`, or `keepOnFailure` after a failure). */
  kept: boolean;
}

/** A validated run: everything refused that could be, before any engine call. */
export interface PreparedRun {
  runId: string;
  /** The start, unless the run attaches. */
  up?: PreparedUp;
  attach?: string;
  suites: Suite[];
  artifactsDir: string;
  keep: boolean;
  concurrency: number;
  runTimeoutMs?: number;
  snapshots: Required<SnapshotOptions> & { recordCommand: string };
  ports?: { strict: boolean };
  sidecarImage?: string;
  /** The project's and the suites' secrets. */
  redactor: Redactor;
  /** Compose warnings (unsupported keys ignored, and such). */
  warnings: Problem[];
}

/** How the CLI's `run` (or a caller holding its own engine) watches and bounds the run. */
export interface RunExtras {
  runtime: Backend;
  logger: Logger;
  signal?: AbortSignal;
  onCheck?: RunOptions['onCheck'];
  onTransaction?: RunOptions['onTransaction'];
  progress?: RunOptions['onProgress'];
  onTeardown?: RunOptions['onTeardown'];
  commandLine?: string[];
}

/**
 * Runs suites as `envtest run` does and resolves once the run folder is written and the environment
 * is torn down (or kept). Rejects only for bad input (UsageError, ValidationError: nothing was
 * started) or no engine (EngineUnavailableError); anything that ends a started run early is the
 * outcome's `error`, after teardown and artifacts.
 */
export async function run(options: RunOptions = {}): Promise<RunOutcome> {
  const prepared = await prepareRun(options);
  const logger = options.logger ?? pino({ level: 'silent' });
  for (const warning of prepared.warnings) logger.warn(warning, 'compose warning');
  return startRun(prepared, {
    // The engine is found as the docker CLI finds it, in `env` layered over process.env.
    runtime: connectEngine({ backend: options.backend, registry: options.registry, sweepImage: prepared.sidecarImage }, options.env ? { ...process.env, ...options.env } : process.env),
    logger: logger.child({ run: prepared.runId }),
    signal: options.signal,
    onCheck: options.onCheck,
    onTransaction: options.onTransaction,
    progress: options.onProgress,
    onTeardown: options.onTeardown,
    commandLine: options.commandLine,
  });
}

/** Loads and checks everything {@link run} is given; throws UsageError / ValidationError before any engine call. */
export async function prepareRun(options: RunOptions): Promise<PreparedRun> {
  const suites = options.suites ?? [];
  const ports = portsOption(options.ports);
  if (suites.length === 0 && !ports) throw new UsageError('a run needs suites (see loadSuites), or ports: true');
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`concurrency takes a whole number >= 1, not ${concurrency}`);
  const runTimeoutMs = options.runTimeout === undefined ? undefined : durationOption('runTimeout', options.runTimeout);
  const artifactsDir = options.artifactsDir ?? (process.env.ENVTEST_ARTIFACTS || '.envtest/runs');
  const artifactsProblem = await unwritableDirProblem(artifactsDir);
  if (artifactsProblem) throw new UsageError(`artifactsDir ${artifactsDir} ${artifactsProblem}; name a directory envtest can write run folders into`);
  const { runId, up, sidecarImage } = await prepareStartOrAttach(options);
  return {
    runId,
    up,
    attach: options.attach,
    suites,
    artifactsDir,
    keep: !!options.keep,
    concurrency,
    runTimeoutMs,
    snapshots: {
      update: !!options.snapshots?.update,
      ci: options.snapshots?.ci ?? isCI(options.env ? { ...process.env, ...options.env } : process.env),
      recordCommand: options.snapshots?.recordCommand ?? 'run({ ..., snapshots: { update: true } })',
    },
    ports,
    sidecarImage,
    redactor: redactorFor(up?.loaded, suites),
    warnings: up?.loaded.warnings ?? [],
  };
}

/** Puts a prepared run on the engine: attach or start, checks, artifacts, teardown. */
export async function startRun(prepared: PreparedRun, extras: RunExtras): Promise<RunOutcome> {
  const runtime = engineForOneRun(extras.runtime, extras.logger);
  const { runId, up: start } = prepared;
  const { logger } = extras;
  await runtime.ping();
  const attached = prepared.attach ? await attach(runtime, prepared.attach, logger) : undefined;
  const sidecarImage = await resolveSidecarImage(runtime, prepared.sidecarImage);
  // The default images carry node; one the user named is tried before any service starts.
  if (prepared.sidecarImage) await checkSidecarImage(runtime, sidecarImage, { runId, project: start?.loaded.project.name ?? attached!.project.name }, extras.signal);
  const reaperImage = start?.reaper ? await reaperImageFor(runtime, sidecarImage) : undefined;
  const keepOnFailure = !!start?.keepOnFailure;
  const outcome = await runSuites({
    ...(start ? upSettingsOf(start) : { project: attached!.project }),
    runtime,
    runId,
    suites: prepared.suites,
    artifactsDir: prepared.artifactsDir,
    keep: prepared.keep,
    attached,
    sidecarImage,
    reaper: reaperImage ? { image: reaperImage } : undefined,
    helperImage: sidecarImage,
    concurrency: prepared.concurrency,
    runTimeoutMs: prepared.runTimeoutMs,
    snapshots: { ...prepared.snapshots, cwd: process.cwd() },
    ports: prepared.ports,
    // A kept environment outlives this process on purpose, like one from `envtest up`.
    detached: prepared.keep || keepOnFailure,
    redactor: prepared.redactor,
    ...watchersOf(extras),
  });
  const mayBeKept = !attached && (prepared.keep || (keepOnFailure && outcome.report.status !== 'passed'));
  const kept = mayBeKept && (await runtime.list(runSelector(runId))).containers.length > 0;
  return { ...outcome, kept };
}

/** The part of the extras the orchestrator's run takes as they are. */
export function watchersOf(extras: RunExtras) {
  const { logger, progress, onCheck, onTransaction, onTeardown, signal, commandLine } = extras;
  return { logger, progress, onCheck, onTransaction, onTeardown, signal, commandLine };
}
