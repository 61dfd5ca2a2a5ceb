// `env.check(suites)`: the checks of `envtest run` (port findings, suites from a sidecar, snapshots
// compared), against an environment the caller holds, reported in report.json's shape.
import type { Logger } from 'pino';
import { buildReport, type RunReport } from '../artifacts/report.js';
import { isCI } from '../ci.js';
import { UsageError } from '../errors.js';
import type { LoadedProject } from '../model/project.js';
import type { RunnerEvent } from '../model/results.js';
import { DEFAULT_CONCURRENCY, type Suite } from '../model/suite.js';
import { checkEnvironment, openSnapshots } from '../orchestrator/sidecar/check-environment.js';
import type { Environment as Stack } from '../orchestrator/lifecycle/environment.js';
import { timings } from '../orchestrator/lifecycle/run.js';
import type { Backend } from '../runtime/backend.js';
import { redactorFor } from './secrets.js';

/** How checks with `snapshot` are compared with their `__snapshots__/` file. */
export interface SnapshotOptions {
  /** Accept every shape that came: rewrite the files, drop entries of checks that are gone (`envtest run -u`). */
  update?: boolean;
  /** A missing snapshot fails instead of being recorded. Default: whether `CI` is set (not to `false` or `0`). */
  ci?: boolean;
}

export interface CheckSettings {
  concurrency?: number;
  onEvent?: (event: RunnerEvent) => void;
  signal?: AbortSignal;
  snapshots?: SnapshotOptions;
  ports?: boolean | { strict?: boolean };
  logger: Logger;
  loaded?: LoadedProject;
  sidecarImage?: string;
}

/** `ports: true` or `{ strict }` as the orchestrator takes it (`--ports`, `--strict-ports`). */
export function portsOption(ports: boolean | { strict?: boolean } | undefined): { strict: boolean } | undefined {
  if (!ports) return undefined;
  return { strict: ports !== true && !!ports.strict };
}

export async function checkSuites(stack: Stack, runtime: Backend, suites: Suite[], settings: CheckSettings): Promise<RunReport> {
  const concurrency = settings.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`concurrency takes a whole number >= 1, not ${concurrency}`);
  const ports = portsOption(settings.ports);
  if (suites.length === 0 && !ports) throw new UsageError('check() needs at least one suite (see loadSuite), or ports: true');
  // Suite options may carry secrets (a postgres password): shapes and the report are redacted as a run's are.
  const redactor = redactorFor(settings.loaded, suites);
  const snapshots = await openSnapshots(
    suites,
    {
      update: !!settings.snapshots?.update,
      ci: settings.snapshots?.ci ?? isCI(process.env),
      recordCommand: 'env.check(suites, { snapshots: { update: true } })',
      cwd: process.cwd(),
    },
    redactor,
  );
  const startedAt = Date.now();
  const results = await checkEnvironment({
    runtime,
    env: stack,
    suites,
    concurrency,
    sidecarImage: settings.sidecarImage,
    ports,
    snapshots,
    logger: settings.logger,
    onEvent: (e) => settings.onEvent?.(e),
    signal: settings.signal,
  });
  // Only checks that all ran may write: an interrupted call saw only some answers.
  await snapshots.save();
  const report = buildReport({ runId: stack.runId, project: stack.project.name, startedAt, finishedAt: Date.now(), services: timings(stack), results });
  return redactor.redactDeep(report);
}
