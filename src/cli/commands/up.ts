import type { Command } from 'commander';
import { Redactor, secretValues } from '../../artifacts/redact.js';
import { UsageError } from '../../errors.js';
import { formatDuration } from '../../model/duration.js';
import type { Environment } from '../../orchestrator/environment.js';
import { up } from '../../orchestrator/up.js';
import { loadFromFlags, withComposeOptions, type ComposeFlags } from '../compose-options.js';
import type { CommandContext } from '../context.js';
import { durationFlag } from '../duration-flag.js';
import { terminalProgress } from '../reporter.js';

export interface UpFlags extends ComposeFlags {
  runId?: string;
  timeout: string;
  egress?: boolean;
  publish?: boolean | string;
  keepOnFailure?: boolean;
  build: boolean;
  allowEngineSocket?: boolean;
}

export function withUpOptions(cmd: Command): Command {
  return withComposeOptions(cmd)
    .option('--run-id <id>', 'name this run (default: generated, e.g. cedar-4f2a)')
    .option('--timeout <duration>', 'how long the stack may take to become ready', '120s')
    .option('--egress', 'let the stack reach outside networks (default: internal networks only)')
    .option('--publish [mode]', 'publish declared ports: on free host ports (free, the default) or as declared (declared)')
    .option('--keep-on-failure', 'leave a stack that failed to start, for inspection')
    .option('--no-build', 'use existing images of services with a build section instead of rebuilding (rebuilds are layer-cached)')
    .option('--allow-engine-socket', 'let services bind-mount the engine socket (refused by default)');
}

/** Shared by `up` and `run`: load, then start with the flags both understand. */
export async function startFromFlags(flags: UpFlags, ctx: CommandContext, extra: { logsDir?: (runId: string) => string; runId: string }): Promise<{ env: Environment; redactor: Redactor }> {
  const loaded = await loadFromFlags(flags);
  for (const w of loaded.warnings) ctx.warn(w);
  ctx.err(`envtest: starting run ${extra.runId}`);
  const redactor = new Redactor(secretValues(process.env, ...Object.values(loaded.project.services).map((s) => s.environment ?? undefined)));
  const runtime = ctx.runtime();
  ctx.signals.onForce(async () => {
    const { teardown, runSelector } = await import('../../orchestrator/teardown.js');
    await teardown(runtime, runSelector(extra.runId));
  });
  const env = await up({
    runtime,
    project: loaded.project,
    runId: extra.runId,
    timeoutMs: durationFlag('--timeout', flags.timeout),
    egress: flags.egress,
    publish: publishMode(flags.publish),
    detached: true,
    keepOnFailure: flags.keepOnFailure,
    build: flags.build ? 'always' : 'missing',
    allowEngineSocket: flags.allowEngineSocket,
    logsDir: extra.logsDir?.(extra.runId),
    redactor,
    logger: ctx.logger(),
    progress: terminalProgress(),
    signal: ctx.signals.signal,
  });
  return { env, redactor };
}

export function publishMode(flag: boolean | string | undefined): 'free' | 'declared' | undefined {
  if (flag === undefined || flag === false) return undefined;
  if (flag === true || flag === 'free') return 'free';
  if (flag === 'declared') return 'declared';
  throw new UsageError(`--publish takes free or declared, not "${flag}"`);
}

export function upCommand(program: Command, ctx: CommandContext): void {
  withUpOptions(program.command('up'))
    .description('start the stack on its own network and wait until every service is ready')
    .action(async (flags: UpFlags) => {
      const { generateRunId, checkRunId } = await import('../../orchestrator/run-id.js');
      const runId = checkRunId(flags.runId ?? generateRunId());
      const { env } = await startFromFlags(flags, ctx, { runId });
      await env.detach();
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
