import type { Command } from 'commander';
import { formatDuration } from '../../model/duration.js';
import type { Environment } from '../../orchestrator/environment.js';
import { checkRunId, generateRunId } from '../../orchestrator/run-id.js';
import { resolveSidecarImage } from '../../orchestrator/sidecar.js';
import { checkStartable, up } from '../../orchestrator/up.js';
import { loadFromFlags } from '../compose-options.js';
import type { CommandContext } from '../context.js';
import { terminalProgress } from '../reporter.js';
import { redactorFor } from '../secrets.js';
import { upSettings, wantsReaper, withUpOptions, type UpFlags } from '../up-flags.js';

export function upCommand(program: Command, ctx: CommandContext): void {
  withUpOptions(program.command('up'))
    .description('start the stack on its own network and wait until every service is ready')
    .action(async (flags: UpFlags) => {
      const settings = upSettings(flags);
      const runId = checkRunId(flags.runId ?? generateRunId());
      const loaded = await loadFromFlags(flags);
      checkStartable(loaded.project, { ...settings, environment: loaded.environment }); // refuse bad input before the engine is asked anything
      for (const w of loaded.warnings) ctx.warn(w);
      const redactor = ctx.useRedactor(redactorFor(loaded));
      const runtime = ctx.runtime();
      ctx.forceTeardownOf(runId);
      ctx.err(`envtest: starting run ${runId}`);
      // The reaper guards the start against a SIGKILL and is removed once the stack is up.
      await runtime.ping();
      const reaperImage = wantsReaper(flags) ? (process.env.ENVTEST_REAPER_IMAGE ?? (await resolveSidecarImage(runtime, process.env.ENVTEST_SIDECAR_IMAGE))) : undefined;
      const env = await up({
        ...settings,
        runtime,
        project: loaded.project,
        environment: loaded.environment,
        runId,
        // It is meant to outlive this process: never "stale", never reaped.
        detached: true,
        reaper: reaperImage ? { image: reaperImage } : undefined,
        redactor,
        logger: ctx.logger(),
        progress: terminalProgress(ctx.err),
        signal: ctx.signals.signal,
      });
      await env.detach();
      // Interrupted while finishing: 130 means "after teardown", so it must not stay up.
      if (ctx.signals.signal.aborted) {
        await env.down();
        throw ctx.signals.signal.reason;
      }
      ctx.out(summary(env));
    });
}

function summary(env: Environment): string {
  const lines = [`run ${env.runId} is up (project ${env.project.name})`];
  for (const r of Object.values(env.services).sort((a, b) => a.service.localeCompare(b.service))) {
    const ready = r.readyAt ? formatDuration(r.readyAt - env.startedAt) : '?';
    const ports = r.publishedPorts.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ');
    lines.push(`  ${r.service.padEnd(16)} ${(r.readiness ?? 'ready').padEnd(10)} ready in ${ready}${ports ? `  ${ports}` : ''}`);
  }
  lines.push(`tear down with: envtest down ${env.runId}`);
  return lines.join('\n');
}
