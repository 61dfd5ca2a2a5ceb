import type { Command } from 'commander';
import { planStart } from '../../planner/plan.js';
import { loadFromFlags, withComposeOptions, type ComposeFlags } from '../compose-options.js';
import type { CommandContext } from '../context.js';
import { formatOption } from '../format-option.js';

export function planCommand(program: Command, ctx: CommandContext): void {
  withComposeOptions(program.command('plan'))
    .description('print the start order: which services start together and what each waits for')
    .addOption(formatOption(['text', 'json'], 'text or json', 'text'))
    .action(async (flags: ComposeFlags & { format: string }) => {
      const loaded = await loadFromFlags(flags);
      const plan = planStart(loaded.project, loaded.locate);
      for (const w of [...loaded.warnings, ...plan.warnings]) ctx.warn(w);
      if (flags.format === 'json') return ctx.out(JSON.stringify({ layers: plan.layers, waitsFor: plan.waitsFor }, null, 2));
      const lines = plan.layers.map((layer, i) => {
        const parts = layer.map((s) => {
          const waits = plan.waitsFor[s]!;
          return waits.length ? `${s} (after ${waits.map((w) => `${w.service} ${w.condition}`).join(', ')})` : s;
        });
        return `layer ${i + 1}: ${parts.join('; ')}`;
      });
      ctx.out(lines.join('\n'));
    });
}
