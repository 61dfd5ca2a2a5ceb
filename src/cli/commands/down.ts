import type { Command } from 'commander';
import { EnvironmentError, UsageError } from '../../errors.js';
import type { DownReport } from '../../library/environment.js';
import { checkRunId, removeRuns } from '../../library/runs.js';
import type { CommandContext } from '../context.js';
import { durationFlag } from '../duration-flag.js';

export function downCommand(program: Command, ctx: CommandContext): void {
  program
    .command('down')
    .description('remove everything labelled with the given runs')
    .argument('[runIds...]', 'run ids to remove')
    .option('--all', 'remove every envtest run on this engine')
    .option('--stale', 'with --all: only runs nobody looks after (owner process gone, no live reaper, not from envtest up)')
    .option('--older-than <duration>', 'with --stale: runs whose owner cannot be looked up (another host, none recorded) count as stale after this', '1h')
    .option('--grace <duration>', 'let containers stop gracefully for this long first', '0s')
    .action(async (given: string[], flags: { all?: boolean; stale?: boolean; grace: string; olderThan: string }) => {
      if (!flags.all && given.length === 0) throw new UsageError('name the runs to remove (see `envtest ls`), or pass --all');
      if (flags.stale && !flags.all) throw new UsageError('--stale goes with --all');
      if (flags.all && given.length) throw new UsageError('pass run ids or --all, not both');
      // A run id ends up in label filters: refuse what could never be one, as --run-id does.
      for (const id of given) checkRunId(id);
      const graceSeconds = Math.ceil(durationFlag('--grace', flags.grace) / 1000);
      const olderThanMs = durationFlag('--older-than', flags.olderThan);
      const which = flags.all ? { all: true as const, stale: flags.stale ? { olderThanMs } : undefined } : { runIds: given };
      const { runIds, reports } = await removeRuns(ctx.runtime(), which, { graceSeconds, logger: ctx.logger() });
      if (flags.all && !flags.stale) ctx.out(describe('all runs', reports[0]!));
      else if (runIds.length === 0) ctx.out('no stale runs');
      else reports.forEach((r, i) => ctx.out(describe(runIds[i]!, r)));
      const left = reports.reduce((n, r) => n + r.remaining, 0);
      if (left > 0) throw new EnvironmentError(`${left} resources are still there after teardown; see the lines above`);
    });
}

function describe(what: string, r: DownReport): string {
  const { containers, networks, volumes } = r.removed;
  const lines = [`${what}: removed ${containers.length} containers, ${networks.length} networks, ${volumes.length} volumes in ${r.ms}ms`];
  for (const f of r.failed) lines.push(`  could not remove ${f.kind} ${f.name}: ${f.error}`);
  for (const w of r.warnings ?? []) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}
