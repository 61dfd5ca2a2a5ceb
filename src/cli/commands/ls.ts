import type { Command } from 'commander';
import { LABEL } from '../../runtime/labels.js';
import type { CommandContext } from '../context.js';
import { formatOption } from '../format-option.js';

export function lsCommand(program: Command, ctx: CommandContext): void {
  program
    .command('ls')
    .description('list the envtest environments on this engine')
    .addOption(formatOption(['text', 'json'], 'text or json', 'text'))
    .action(async (flags: { format: string }) => {
      const runtime = ctx.runtime();
      await runtime.ping();
      const found = await runtime.list({ [LABEL.run]: '' });
      const runs = new Map<string, { run: string; project: string; services: Set<string>; created: number; containers: number; networks: number; volumes: number }>();
      const entry = (labels: Record<string, string>, created?: Date) => {
        const run = labels[LABEL.run]!;
        const e = runs.get(run) ?? { run, project: labels[LABEL.project] ?? '?', services: new Set(), created: Infinity, containers: 0, networks: 0, volumes: 0 };
        runs.set(run, e);
        if (created) e.created = Math.min(e.created, created.getTime());
        return e;
      };
      for (const c of found.containers) {
        const e = entry(c.labels, c.createdAt);
        e.containers++;
        if (c.labels[LABEL.service]) e.services.add(c.labels[LABEL.service]!);
      }
      for (const n of found.networks) entry(n.labels, n.createdAt).networks++;
      for (const v of found.volumes) entry(v.labels, v.createdAt).volumes++;
      const rows = [...runs.values()].sort((a, b) => a.created - b.created);
      if (flags.format === 'json') {
        return ctx.out(JSON.stringify(rows.map((r) => ({ ...r, services: [...r.services].sort(), created: Number.isFinite(r.created) ? new Date(r.created).toISOString() : null })), null, 2));
      }
      if (rows.length === 0) return ctx.out('no envtest environments on this engine');
      const table = [['RUN ID', 'PROJECT', 'AGE', 'SERVICES'], ...rows.map((r) => [r.run, r.project, age(r.created), [...r.services].sort().join(',') || '-'])];
      const widths = [0, 1, 2].map((i) => Math.max(...table.map((row) => row[i]!.length)) + 2);
      ctx.out(table.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('')).join('\n'));
    });
}

function age(created: number): string {
  if (!Number.isFinite(created)) return '?';
  const s = Math.max(0, Math.round((Date.now() - created) / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
}
