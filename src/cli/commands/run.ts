import { join } from 'node:path';
import type { Command } from 'commander';
import { unwritableDirProblem } from '../../artifacts/writable-dir.js';
import { isCI } from '../../ci.js';
import { ExitCode, UsageError } from '../../errors.js';
import { prepareRun, startRun } from '../../library/run.js';
import { loadSuites } from '../../library/suites.js';
import { refuseWithAttach } from '../attach-flags.js';
import { runSummary, snapshotFilesLines } from '../check-reporter.js';
import { collect } from '../compose-options.js';
import type { CommandContext } from '../context.js';
import { durationFlag } from '../duration-flag.js';
import { nextStepLines } from '../next-steps.js';
import { runReporting } from '../reporter.js';
import { upOptionsFrom, withUpOptions, type UpFlags } from '../up-flags.js';

interface RunFlags extends UpFlags {
  checks?: string[];
  artifacts: string;
  keep?: boolean;
  attach?: string;
  sidecarImage?: string;
  concurrency: string;
  runTimeout?: string;
  updateSnapshots?: boolean;
  ports?: boolean;
  strictPorts?: boolean;
}

/** The command as the user typed it, with -u: what to run to record or accept snapshots. */
function recordCommand(argv: string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  const args = argv.filter((a) => a !== '-u' && a !== '--update-snapshots');
  return ['envtest', ...args.map(quote), '-u'].join(' ');
}

export function runCommand(program: Command, ctx: CommandContext): void {
  withUpOptions(program.command('run'))
    .description('start the stack, run check suites from a sidecar on its network, save artifacts, tear down')
    .option('--checks <path>', 'suite file or directory of suites (repeatable)', collect)
    .option('--artifacts <dir>', 'where run folders go (default: ENVTEST_ARTIFACTS, else .envtest/runs)', process.env.ENVTEST_ARTIFACTS || '.envtest/runs')
    .option('--keep', 'leave the environment up afterwards (tear down with envtest down)')
    .option('--attach <runId>', 'run against an environment already up, and leave it up')
    .option('--sidecar-image <image>', 'image for the check sidecar: any image with node >= 18 (default: ENVTEST_SIDECAR_IMAGE, envtest/sidecar:latest, node:20-slim)')
    .option('--concurrency <n>', 'checks running at the same time', '8')
    .option('--run-timeout <duration>', 'the whole run (start and checks) must end within this, else it is torn down (exit 3)')
    .option('-u, --update-snapshots', 'record the shape of every check with `snapshot` into __snapshots__/ beside its suite, replacing what differs')
    .option('--ports', 'also take the port inventory: silent, loopback-only and unreachable ports fail as checks of the suite "ports"')
    .option('--strict-ports', 'with --ports, undeclared listeners fail too')
    .action(async (flags: RunFlags) => {
      // Every input is validated before the engine is touched: bad input never leaves anything behind.
      if (!flags.checks?.length && !flags.ports) throw new UsageError('--checks is required (a suite file or a directory of suites), unless --ports is given');
      if (flags.strictPorts && !flags.ports) throw new UsageError('--strict-ports needs --ports');
      refuseWithAttach(flags);
      const artifactsProblem = await unwritableDirProblem(flags.artifacts);
      if (artifactsProblem) throw new UsageError(`--artifacts ${flags.artifacts} ${artifactsProblem}; name a directory envtest can write run folders into`);
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency takes a whole number >= 1, not "${flags.concurrency}"`);
      const runTimeout = flags.runTimeout === undefined ? undefined : durationFlag('--run-timeout', flags.runTimeout, { positive: true });
      const suites = flags.checks?.length ? await loadSuites(flags.checks) : [];
      // The library's own preparation; --attach loads no compose file.
      const prepared = await prepareRun({
        // The backend in use decides which compose keys are warned about as ignored.
        ...(flags.attach ? { attach: flags.attach } : { ...upOptionsFrom(flags), backend: ctx.runtime().name }),
        sidecarImage: flags.sidecarImage,
        suites,
        artifactsDir: flags.artifacts,
        keep: flags.keep,
        concurrency,
        runTimeout,
        snapshots: { update: !!flags.updateSnapshots, ci: isCI(process.env), recordCommand: recordCommand(process.argv.slice(2)) },
        ports: flags.ports ? { strict: !!flags.strictPorts } : undefined,
      });
      for (const w of prepared.warnings) ctx.warn(w);
      const { runId } = prepared;
      ctx.useRedactor(prepared.redactor);
      const logger = ctx.logger(join(flags.artifacts, runId, 'envtest.log'));
      const runtime = ctx.runtime();
      // An attached or kept environment is not this run's to remove, even on a second Ctrl-C.
      if (flags.attach || flags.keep) ctx.signals.graceful();
      else ctx.forceTeardownOf(runId);
      ctx.err(`envtest: run ${runId}${flags.attach ? ' (attached)' : ''}`);
      const outcome = await startRun(prepared, { runtime, logger, ...runReporting(ctx) });
      for (const line of snapshotFilesLines(outcome.snapshotFiles)) ctx.err(line);
      ctx.out(runSummary(outcome.report, outcome.dir));
      if (outcome.kept) nextStepLines(runId, prepared.up?.loaded.project).forEach((l) => ctx.err(l));
      if (outcome.error) throw outcome.error;
      if (outcome.report.status === 'failed') process.exitCode = ExitCode.checksFailed;
    });
}
