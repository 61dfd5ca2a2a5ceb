import type { Command } from 'commander';
import { prepareUp } from '../../library/prepare.js';
import { startPrepared, type Stack } from '../../library/start.js';
import { formatDuration } from '../../model/duration.js';
import type { CommandContext } from '../context.js';
import { terminalProgress } from '../reporter.js';
import { upOptionsFrom, withUpOptions, type UpFlags } from '../up-flags.js';

export function upCommand(program: Command, ctx: CommandContext): void {
  withUpOptions(program.command('up'))
    .description('start the stack on its own network and wait until every service is ready')
    .action(async (flags: UpFlags) => {
      // The library's own preparation: bad input is refused before the engine is asked anything.
      const prepared = await prepareUp({ ...upOptionsFrom(flags), backend: ctx.runtime().name });
      for (const w of prepared.loaded.warnings) ctx.warn(w);
      ctx.useRedactor(prepared.redactor);
      ctx.forceTeardownOf(prepared.runId);
      ctx.err(`envtest: starting run ${prepared.runId}`);
      // The reaper guards the start against a SIGKILL and is removed once the stack is up.
      const env = await startPrepared(prepared, {
        runtime: ctx.runtime(),
        // It is meant to outlive this process: never "stale", never reaped.
        detached: true,
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

function summary(env: Stack): string {
  const lines = [`run ${env.runId} is up (project ${env.project.name})`];
  for (const r of Object.values(env.services).sort((a, b) => a.service.localeCompare(b.service))) {
    const ready = r.readyAt ? formatDuration(r.readyAt - env.startedAt) : '?';
    const ports = r.publishedPorts.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ');
    lines.push(`  ${r.service.padEnd(16)} ${(r.readiness ?? 'ready').padEnd(10)} ready in ${ready}${r.readinessSource ? ` (${r.readinessSource})` : ''}${ports ? `  ${ports}` : ''}`);
  }
  lines.push(`tear down with: envtest down ${env.runId}`);
  return lines.join('\n');
}
