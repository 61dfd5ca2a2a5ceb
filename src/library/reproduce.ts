// `envtest reproduce`: a saved run folder brought back — its project, suites and options from
// reproduce.json, secrets from this machine — and run again as a new run.
import type { RunReport } from '../artifacts/report.js';
import { UsageError, type Problem } from '../errors.js';
import type { ComposeProject } from '../model/project.js';
import type { Suite } from '../model/suite.js';
import { imageDrift } from '../orchestrator/images/image-drift.js';
import { generateRunId } from '../orchestrator/lifecycle/run-id.js';
import { runSuites, type RunOutcome } from '../orchestrator/lifecycle/run.js';
import { resolveSidecarImage } from '../orchestrator/sidecar/sidecar.js';
import { checkStartable } from '../orchestrator/lifecycle/up.js';
import { checkKey, localEnvironment, readOriginalOutcome, readRecord, withoutMissingBuilds, type OriginalOutcome } from '../reproduce/load.js';
import { restoreSecrets } from '../reproduce/record.js';
import type { Redactor } from '../text/redact.js';
import { engineForOneRun } from './engine.js';
import { watchersOf, type RunExtras } from './run.js';
import { redactorFor } from './secrets.js';
import { reaperImageFor } from './start.js';

export interface PreparedReproduction {
  /** The new run's id. */
  runId: string;
  /** The saved run's id, envtest version and command line. */
  original: { runId: string; version: string; commandLine: string[] };
  /** The saved run's outcome, when its report.json is there. */
  outcome?: OriginalOutcome;
  project: ComposeProject;
  environment: NodeJS.ProcessEnv;
  suites: Suite[];
  redactor: Redactor;
  record: ReturnType<typeof readRecord>;
}

/** Reads the run folder and restores its secrets from this machine; refuses before any engine call. */
export function prepareReproduction(dir: string, opts: { checksOnly?: boolean }): PreparedReproduction {
  const record = readRecord(dir);
  const outcome = readOriginalOutcome(dir);
  // Secret values come from here, as a run reads them: the shell's environment over ./.env.
  const environment = localEnvironment(process.cwd());
  const restored = restoreSecrets(record, environment);
  if (restored.missing.length) {
    throw new UsageError(
      `the run used secrets this machine does not have: ${restored.missing.join(', ')}. The run saved their names, not their values: set them in the environment or in ./.env`,
    );
  }
  const project = withoutMissingBuilds(restored.project);
  const suites = opts.checksOnly ? onlyFailed(restored.suites, outcome) : restored.suites;
  checkStartable(project, { environment });
  return {
    runId: generateRunId(),
    original: { runId: record.runId, version: record.envtest.version, commandLine: record.envtest.commandLine },
    outcome,
    project,
    environment,
    suites,
    redactor: redactorFor({ project, environment }, suites),
    record,
  };
}

export interface ReproductionExtras extends RunExtras {
  artifactsDir: string;
  keep?: boolean;
  reaper: boolean;
  warn: (problem: Problem) => void;
}

export async function reproduce(prepared: PreparedReproduction, extras: ReproductionExtras): Promise<RunOutcome> {
  const runtime = engineForOneRun(extras.runtime, extras.logger);
  const { record } = prepared;
  await runtime.ping();
  for (const problem of await imageDrift(runtime, record.images)) extras.warn(problem);
  const sidecarImage = await resolveSidecarImage(runtime, process.env.ENVTEST_SIDECAR_IMAGE ?? record.options.sidecarImage);
  const useReaper = extras.reaper && process.env.ENVTEST_REAPER !== 'off';
  return runSuites({
    runtime,
    project: prepared.project,
    environment: prepared.environment,
    runId: prepared.runId,
    suites: prepared.suites,
    artifactsDir: extras.artifactsDir,
    egress: record.options.egress,
    publish: record.options.publish,
    timeoutMs: record.options.timeoutMs,
    concurrency: record.options.concurrency,
    // The images the run used: present ones are taken as they are, absent ones built or pulled.
    build: 'missing',
    keep: extras.keep,
    detached: extras.keep,
    sidecarImage,
    reaper: useReaper ? { image: await reaperImageFor(runtime, sidecarImage) } : undefined,
    redactor: prepared.redactor,
    ...watchersOf(extras),
  });
}

function onlyFailed<T extends { name: string; checks: { name: string }[] }>(suites: T[], original: OriginalOutcome | undefined): T[] {
  if (!original) throw new UsageError('--checks-only needs the run\'s report.json, to know which checks failed');
  const failed = new Set(original.failed);
  return suites.map((s) => ({ ...s, checks: s.checks.filter((c) => failed.has(checkKey({ suite: s.name, name: c.name }))) })).filter((s) => s.checks.length > 0);
}

/** The saved run against this one: the same outcome, or how it differs. */
export function comparison(original: OriginalOutcome, now: RunReport): string {
  const failedNow = now.checks.filter((c) => c.status === 'failed').map(checkKey);
  const same = original.status === now.status && failedNow.join('\n') === [...original.failed].sort().join('\n');
  const sorted = failedNow.sort();
  if (same) return `reproduced: ${now.status}${sorted.length ? ` with the same failed checks (${sorted.length})` : ''}, as in the saved run`;
  const lines = [`not the same outcome: the saved run ${original.status}${original.error ? ` (${original.error})` : ''}, this one ${now.status}`];
  for (const c of original.failed.filter((c) => !sorted.includes(c))) lines.push(`  failed then, not now: ${c}`);
  for (const c of sorted.filter((c) => !original.failed.includes(c))) lines.push(`  fails now, not then: ${c}`);
  return lines.join('\n');
}
