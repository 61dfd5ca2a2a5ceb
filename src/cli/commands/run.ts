import type { Command } from 'commander';
import { Redactor, secretValues } from '../../artifacts/redact.js';
import { ExitCode, UsageError } from '../../errors.js';
import { attach } from '../../orchestrator/attach.js';
import { runSuites } from '../../orchestrator/run.js';
import { checkStartable } from '../../orchestrator/up.js';
import { resolveSidecarImage } from '../../orchestrator/sidecar.js';
import { checkRunId, generateRunId } from '../../orchestrator/run-id.js';
import { loadSuites } from '../../suite/load.js';
import { loadFromFlags } from '../compose-options.js';
import type { CommandContext } from '../context.js';
import { durationFlag } from '../duration-flag.js';
import { checkReporter, runSummary } from '../check-reporter.js';
import { terminalProgress } from '../reporter.js';
import { publishMode, withUpOptions, type UpFlags } from './up.js';
import { runSelector, teardown } from '../../orchestrator/teardown.js';
import { join } from 'node:path';

interface RunFlags extends UpFlags {
  checks?: string[];
  artifacts: string;
  keep?: boolean;
  attach?: string;
  sidecarImage?: string;
  concurrency: string;
  reaper: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function runCommand(program: Command, ctx: CommandContext): void {
  withUpOptions(program.command('run'))
    .description('start the stack, run check suites from a sidecar on its network, save artifacts, tear down')
    .option('--checks <path>', 'suite file or directory of suites (repeatable)', collect)
    .option('--artifacts <dir>', 'where run folders go', '.envtest/runs')
    .option('--keep', 'leave the environment up afterwards (tear down with envtest down)')
    .option('--attach <runId>', 'run against an environment already up, and leave it up')
    .option('--sidecar-image <image>', 'image for the check sidecar: any image with node >= 18 (default: ENVTEST_SIDECAR_IMAGE, envtest/sidecar:latest, node:20-slim)')
    .option('--concurrency <n>', 'checks running at the same time', '8')
    .option('--no-reaper', 'no reaper container (it needs the engine socket); also ENVTEST_REAPER=off')
    .action(async (flags: RunFlags) => {
      if (!flags.checks?.length) throw new UsageError('--checks is required: a suite file or a directory of suites');
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency takes a whole number >= 1, not "${flags.concurrency}"`);
      const timeoutMs = durationFlag('--timeout', flags.timeout);
      // Every input is validated before the engine is touched: bad input never leaves anything behind.
      const suites = await loadSuites(flags.checks);
      const loaded = flags.attach ? undefined : await loadFromFlags(flags);
      if (loaded) checkStartable(loaded.project, flags);
      for (const w of loaded?.warnings ?? []) ctx.warn(w);
      const runId = checkRunId(flags.attach ?? flags.runId ?? generateRunId());
      const runtime = ctx.runtime();
      const redactor = new Redactor(
        secretValues(process.env, ...Object.values(loaded?.project.services ?? {}).map((s) => s.environment ?? undefined), ...suites.flatMap((s) => s.checks.map((c) => c.options as Record<string, string | undefined>))),
      );
      const artifactsRun = join(flags.artifacts, runId);
      const logger = ctx.logger(join(artifactsRun, 'envtest.log')).child({ run: runId });
      if (!flags.attach && !flags.keep) ctx.signals.onForce(async () => void (await teardown(runtime, runSelector(runId))));
      ctx.err(`envtest: run ${runId}${flags.attach ? ' (attached)' : ''}`);
      const attached = flags.attach ? await attach(runtime, flags.attach, logger) : undefined;
      await runtime.ping();
      const sidecarImage = await resolveSidecarImage(runtime, flags.sidecarImage ?? process.env.ENVTEST_SIDECAR_IMAGE);
      const useReaper = flags.reaper && process.env.ENVTEST_REAPER !== 'off' && !attached && !flags.keep;

      const outcome = await runSuites({
        runtime,
        project: loaded?.project ?? attached!.project,
        runId,
        suites,
        artifactsDir: flags.artifacts,
        keep: flags.keep,
        attached,
        sidecarImage,
        reaper: useReaper ? { image: process.env.ENVTEST_REAPER_IMAGE ?? sidecarImage } : undefined,
        concurrency,
        timeoutMs,
        egress: flags.egress,
        publish: publishMode(flags.publish),
        keepOnFailure: flags.keepOnFailure,
        build: flags.build ? 'always' : 'missing',
        // A kept environment outlives this process on purpose, like one from `envtest up`.
        detached: flags.keep,
        allowEngineSocket: flags.allowEngineSocket,
        redactor,
        logger,
        progress: terminalProgress(),
        onCheck: checkReporter((line) => ctx.err(redactor.redact(line))),
        onTeardown: (r) => ctx.err(`  torn down: ${r.removed.containers.length} containers, ${r.removed.networks.length} networks, ${r.removed.volumes.length} volumes in ${r.ms}ms${r.failed.length ? `; ${r.failed.length} failed: ${r.failed.map((f) => `${f.kind} ${f.name}: ${f.error}`).join('; ')}` : ''}`),
        signal: ctx.signals.signal,
      });
      ctx.out(redactor.redact(runSummary(outcome.report, outcome.dir)));
      if (flags.keep && !flags.attach && !outcome.error) ctx.err(`environment kept: envtest down ${runId}`);
      if (outcome.error) throw outcome.error;
      if (outcome.report.status === 'failed') process.exitCode = ExitCode.checksFailed;
    });
}
