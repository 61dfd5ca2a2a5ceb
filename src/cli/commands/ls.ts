import type { Command } from 'commander';
import { listRuns } from '../../library/runs.js';
import type { CommandContext } from '../context.js';
import { formatOption } from '../format-option.js';

export function lsCommand(program: Command, ctx: CommandContext): void {
  program
    .command('ls')
    .description('list the envtest environments on this engine')
    .addOption(formatOption(['text', 'json'], 'text or json', 'text'))
    .action(async (flags: { format: string }) => {
      const rows = await listRuns(ctx.runtime());
      if (flags.format === 'json') {
        return ctx.out(JSON.stringify(rows.map((r) => ({ ...r, created: r.created === undefined ? null : new Date(r.created).toISOString() })), null, 2));
      }
      if (rows.length === 0) return ctx.out('no envtest environments on this engine');
      const table = [['RUN ID', 'PROJECT', 'AGE', 'SERVICES'], ...rows.map((r) => [r.run, r.project, age(r.created), r.services.join(',') || '-'])];
      const widths = [0, 1, 2].map((i) => Math.max(...table.map((row) => row[i]!.length)) + 2);
      ctx.out(table.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('')).join('\n'));
    });
}

function age(created: number | undefined): string {
  if (created === undefined) return '?';
  const s = Math.max(0, Math.round((Date.now() - created) / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
}
