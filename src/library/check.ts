// `env.check(suites)`: the sidecar run of `envtest run`, against an environment the caller holds,
// reported in report.json's shape.
import type { Logger } from 'pino';
import { buildReport, type RunReport } from '../artifacts/report.js';
import type { RunnerEvent } from '../model/results.js';
import { DEFAULT_CONCURRENCY, type Suite } from '../model/suite.js';
import type { Environment as Stack } from '../orchestrator/environment.js';
import { timings } from '../orchestrator/run.js';
import { runChecksInSidecar } from '../orchestrator/sidecar.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import { UsageError } from '../errors.js';
import type { LoadedProject } from '../model/project.js';
import { redactorFor } from './secrets.js';

export interface CheckSettings {
  concurrency?: number;
  onEvent?: (event: RunnerEvent) => void;
  signal?: AbortSignal;
  logger: Logger;
  loaded: LoadedProject;
  sidecarImage?: string;
}

export async function checkSuites(stack: Stack, runtime: ContainerRuntime, suites: Suite[], settings: CheckSettings): Promise<RunReport> {
  const concurrency = settings.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`concurrency takes a whole number >= 1, not ${concurrency}`);
  if (suites.length === 0) throw new UsageError('check() needs at least one suite (see loadSuite)');
  const startedAt = Date.now();
  const results = await runChecksInSidecar({
    runtime,
    env: stack,
    job: { suites, concurrency },
    image: settings.sidecarImage,
    logger: settings.logger,
    onEvent: (e) => settings.onEvent?.(e),
    signal: settings.signal,
  });
  const report = buildReport({ runId: stack.runId, project: stack.project.name, startedAt, finishedAt: Date.now(), services: timings(stack), results });
  // Suite options may carry secrets (a postgres password): the report is redacted as report.json is.
  return redactorFor(settings.loaded, suites).redactDeep(report);
}
