import { join } from 'node:path';
import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import { comparison, prepareReproduction, reproduce } from '../../library/reproduce.js';
import { runSummary } from '../check-reporter.js';
import type { CommandContext } from '../context.js';
import { nextStepLines } from '../next-steps.js';
import { runReporting } from '../reporter.js';

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
      const prepared = prepareReproduction(dir, { checksOnly: flags.checksOnly });
      const { runId, original } = prepared;
      ctx.useRedactor(prepared.redactor);
      const logger = ctx.logger(join(flags.artifacts, runId, 'envtest.log'));
      const runtime = ctx.runtime();
      if (flags.keep) ctx.signals.graceful();
      else ctx.forceTeardownOf(runId);
      ctx.err(`envtest: reproducing run ${original.runId} (envtest ${original.version}: envtest ${original.commandLine.join(' ')}) as run ${runId}`);
      const outcome = await reproduce(prepared, { runtime, logger, artifactsDir: flags.artifacts, keep: flags.keep, reaper: flags.reaper, warn: (p) => ctx.warn(p), ...runReporting(ctx) });
      ctx.out(runSummary(outcome.report, outcome.dir));
      if (prepared.outcome) ctx.out(comparison(prepared.outcome, outcome.report));
      if (flags.keep && !ctx.signals.signal.aborted) nextStepLines(runId, prepared.project).forEach((l) => ctx.err(l));
      if (outcome.error) throw outcome.error;
      if (outcome.report.status === 'failed') process.exitCode = ExitCode.checksFailed;
    });
}
