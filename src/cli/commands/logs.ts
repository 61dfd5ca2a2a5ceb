import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { runLogs } from '../../access/logs.js';
import { findRun } from '../../access/running-run.js';
import type { CommandContext } from '../context.js';
import { durationFlag } from '../duration-flag.js';

interface LogsFlags {
  follow?: boolean;
  since?: string;
  tail: string;
  timestamps?: boolean;
}

export function logsCommand(program: Command, ctx: CommandContext): void {
  program
    .command('logs')
    .description("a run's service logs, each line prefixed with its service, as docker compose logs prints them")
    .argument('<runId>', 'the run (see `envtest ls`)')
    .argument('[services...]', 'only these services (default: all)')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C or the run ends')
    .option('--since <when>', 'only lines since a duration ago (5m, 1h30m) or a timestamp (2026-11-29T14:00:00Z)')
    .option('-n, --tail <lines>', 'only the last N lines of each service, or all', 'all')
    .option('-t, --timestamps', 'show the engine timestamp of each line')
    .action(async (runId: string, services: string[], flags: LogsFlags) => {
      const tail = flags.tail === 'all' ? undefined : Number(flags.tail);
      if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw new UsageError(`--tail takes a whole number or "all", not "${flags.tail}"`);
      const sinceMs = flags.since === undefined ? undefined : sinceFlag(flags.since);
      const runtime = ctx.runtime();
      await runtime.ping();
      // Prefixes padded to the longest name, so the lines' own text lines up as in compose.
      // A scaled service's containers are told apart as compose does: web-1, web-2.
      const run = await findRun(runtime, runId);
      const count = (s: string) => run.replicas.get(s)?.length ?? 1;
      const names = (services.length ? services : [...run.services.keys()]).map((s) => (count(s) > 1 ? `${s}-${count(s)}` : s));
      const width = Math.max(...names.map((s) => s.length));
      const prefix = (service: string, replica?: number) => (replica === undefined ? service : `${service}-${replica}`);
      await runLogs(runtime, runId, { services, follow: !!flags.follow, tail, sinceMs, timestamps: flags.timestamps }, ({ service, replica, text }) => ctx.out(`${prefix(service, replica).padEnd(width)}  | ${text}`));
    });
}

function sinceFlag(text: string): number {
  if (/^\d{4}-\d\d-\d\d/.test(text)) {
    const at = Date.parse(text);
    if (Number.isNaN(at)) throw new UsageError(`--since "${text}" is not a timestamp (e.g. 2026-11-29T14:00:00Z)`);
    return at;
  }
  return Date.now() - durationFlag('--since', text);
}
