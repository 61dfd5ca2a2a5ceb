import type { Command } from 'commander';
import { printProject } from '../../compose/index.js';
import { planStart } from '../../planner/plan.js';
import { loadFromFlags, withComposeOptions, type ComposeFlags } from '../compose-options.js';
import type { CommandContext } from '../context.js';
import { formatOption } from '../format-option.js';

interface ConfigFlags extends ComposeFlags {
  format: 'yaml' | 'json';
  services?: boolean;
  profiles?: boolean;
}

export function configCommand(program: Command, ctx: CommandContext): void {
  withComposeOptions(program.command('config'))
    .description('print the normalized compose model, as `docker compose config` does')
    .addOption(formatOption(['yaml', 'json'], 'yaml or json', 'yaml'))
    .option('--services', 'print the names of the active services')
    .option('--profiles', 'print every profile the project defines')
    .action(async (flags: ConfigFlags) => {
      const loaded = await loadFromFlags(flags);
      // Like `docker compose config`, a project that cannot start (cycle, unknown dependency) is refused.
      const plan = planStart(loaded.project, loaded.locate);
      for (const w of [...loaded.warnings, ...plan.warnings]) ctx.warn(w);
      if (flags.services) return ctx.out(Object.keys(loaded.project.services).join('\n'));
      if (flags.profiles) return ctx.out(loaded.allProfiles.join('\n'));
      ctx.out(printProject(loaded.project, flags.format));
    });
}
