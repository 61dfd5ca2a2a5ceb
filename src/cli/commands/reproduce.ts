import { join } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.js';
import { reaperImageFor } from '../../library/start.js';
import { imageDrift } from '../../orchestrator/image-drift.js';
import { runSuites } from '../../orchestrator/run.js';
import { generateRunId } from '../../orchestrator/run-id.js';
import { resolveSidecarImage } from '../../orchestrator/sidecar.js';
import { checkStartable } from '../../orchestrator/up.js';
import { checkKey, localEnvironment, readOriginalOutcome, readRecord, withoutMissingBuilds, type OriginalOutcome } from '../../reproduce/load.js';
import { restoreSecrets } from '../../reproduce/record.js';
import type { RunReport } from '../../artifacts/report.js';
import { runSummary } from '../check-reporter.js';
import type { CommandContext } from '../context.js';
import { nextStepLines } from '../next-steps.js';
import { runReporting } from '../reporter.js';
import { redactorFor } from '../../library/secrets.js';

interface ReproduceFlags {
  keep?: boolean;
  checksOnly?: boolean;
  artifacts: string;
  reaper: boolean;
}

export function reproduceCommand(program: Command, ctx: CommandContext): void {
  program
    .command('reproduce')
    .description("bring back the environment and checks of a saved run (its artifacts folder) and run them again")
    .argument('<artifactsDir>', 'the folder of one run, e.g. .envtest/runs/<run-id> (copied from CI)')
    .option('--keep', 'leave the environment up afterwards, and print the commands to reach it')
    .option('--checks-only', 'run only the checks that failed in the saved run')
    .option('--artifacts <dir>', "where this reproduction's run folder goes", '.envtest/runs')
    .option('--no-reaper', 'no reaper container guarding against a killed envtest; also ENVTEST_REAPER=off')
    .action(async (dir: string, flags: ReproduceFlags) => {
      const record = readRecord(dir);
      const original = readOriginalOutcome(dir);
      // Secret values come from here, as a run reads them: the shell's environment over ./.env.
      const environment = localEnvironment(process.cwd());
      const restored = restoreSecrets(record, environment);
      if (restored.missing.length) {
        throw new UsageError(
          `the run used secrets this machine does not have: ${restored.missing.join(', ')}. The run saved their names, not their values: set them in the environment or in ./.env`,
        );
      }
      const project = withoutMissingBuilds(restored.project);
      const suites = flags.checksOnly ? onlyFailed(restored.suites, original) : restored.suites;
      checkStartable(project, { environment });
      const redactor = ctx.useRedactor(redactorFor({ project, environment }, suites));
      const runId = generateRunId();
      const logger = ctx.logger(join(flags.artifacts, runId, 'envtest.log'));
      const runtime = ctx.runtime();
      if (flags.keep) ctx.signals.graceful();
      else ctx.forceTeardownOf(runId);
      ctx.err(`envtest: reproducing run ${record.runId} (envtest ${record.envtest.version}: envtest ${record.envtest.commandLine.join(' ')}) as run ${runId}`);
      await runtime.ping();
      for (const problem of await imageDrift(runtime, record.images)) ctx.warn(problem);
      const sidecarImage = await resolveSidecarImage(runtime, process.env.ENVTEST_SIDECAR_IMAGE ?? record.options.sidecarImage);
      const useReaper = flags.reaper && process.env.ENVTEST_REAPER !== 'off';

      const outcome = await runSuites({
        runtime,
        project,
        environment,
        runId,
        suites,
        artifactsDir: flags.artifacts,
        egress: record.options.egress,
        publish: record.options.publish,
        timeoutMs: record.options.timeoutMs,
        concurrency: record.options.concurrency,
        // The images the run used: present ones are taken as they are, absent ones built or pulled.
        build: 'missing',
        keep: flags.keep,
        detached: flags.keep,
        sidecarImage,
        reaper: useReaper ? { image: await reaperImageFor(runtime, sidecarImage) } : undefined,
        redactor,
        logger,
        ...runReporting(ctx),
      });
      ctx.out(runSummary(outcome.report, outcome.dir));
      if (original) ctx.out(comparison(original, outcome.report));
      if (flags.keep && !ctx.signals.signal.aborted) nextStepLines(runId, project).forEach((l) => ctx.err(l));
      if (outcome.error) throw outcome.error;
      if (outcome.report.status === 'failed') process.exitCode = ExitCode.checksFailed;
    });
}

function onlyFailed<T extends { name: string; checks: { name: string }[] }>(suites: T[], original: OriginalOutcome | undefined): T[] {
  if (!original) throw new UsageError('--checks-only needs the run\'s report.json, to know which checks failed');
  const failed = new Set(original.failed);
  return suites.map((s) => ({ ...s, checks: s.checks.filter((c) => failed.has(checkKey({ suite: s.name, name: c.name }))) })).filter((s) => s.checks.length > 0);
}

/** The saved run against this one: the same outcome, or how it differs. */
function comparison(original: OriginalOutcome, now: RunReport): string {
  const failedNow = now.checks.filter((c) => c.status === 'failed').map(checkKey);
  const same = original.status === now.status && failedNow.join('\n') === [...original.failed].sort().join('\n');
  const sorted = failedNow.sort();
  if (same) return `reproduced: ${now.status}${sorted.length ? ` with the same failed checks (${sorted.length})` : ''}, as in the saved run`;
  const lines = [`not the same outcome: the saved run ${original.status}${original.error ? ` (${original.error})` : ''}, this one ${now.status}`];
  for (const c of original.failed.filter((c) => !sorted.includes(c))) lines.push(`  failed then, not now: ${c}`);
  for (const c of sorted.filter((c) => !original.failed.includes(c))) lines.push(`  fails now, not then: ${c}`);
  return lines.join('\n');
}
