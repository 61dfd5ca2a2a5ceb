import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { EnvironmentError, UsageError } from '../../errors.js';
import { starterSuite } from '../../suite/starter.js';
import type { CommandContext } from '../context.js';
import { inventoryFromFlags, withInventoryOptions, type InventoryFlags } from '../inventory-flags.js';

interface InitFlags extends InventoryFlags {
  output: string;
  force?: boolean;
  negative?: boolean;
}

const SCHEMA_URL = 'https://envtest.dev/schema/suite.schema.json';

export function initCommand(program: Command, ctx: CommandContext): void {
  withInventoryOptions(program.command('init'))
    .description('take the port inventory and write a starter suite: one check per port reachable from the network')
    .option('-o, --output <file>', 'where to write the suite', 'envtest.yaml')
    .option('--force', 'overwrite the output file if it exists')
    .option('--negative', 'also check that every loopback-only port stays closed to the network (expect: { open: false })')
    .action(async (flags: InitFlags) => {
      const out = resolve(flags.output);
      // Refused before anything starts: minutes of inventory must not end in a file we may not write.
      if (existsSync(out) && !flags.force) throw new UsageError(`${flags.output} exists; pass --force to overwrite it, or -o another file`);
      const inventory = await inventoryFromFlags(flags, ctx);
      const { yaml, checks } = starterSuite(inventory, { schemaPath: schemaPathFrom(dirname(out)), negative: flags.negative });
      if (checks === 0) throw new EnvironmentError('no service has a port reachable from the network: there is nothing to write a check for');
      await writeFile(out, yaml);
      const noted = Object.values(inventory.services).flat().filter((p) => p.finding !== 'ok').length;
      ctx.out(`wrote ${flags.output}: ${checks} check${checks === 1 ? '' : 's'}${noted ? `, ${noted} port${noted === 1 ? '' : 's'} with findings noted in comments` : ''}`);
      ctx.out(`run it: envtest run --checks ${flags.output}`);
    });
}

/** The schema shipped with this envtest, relative to the suite; its public URL when not found. */
function schemaPathFrom(dir: string): string {
  for (const rel of ['../schema/suite.schema.json', '../../../schema/suite.schema.json']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return relative(dir, path).split('\\').join('/');
  }
  return SCHEMA_URL;
}
