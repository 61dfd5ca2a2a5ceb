import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.js';
import { isBadFinding, type PortInventory } from '../../model/ports.js';
import type { CommandContext } from '../context.js';
import { inventoryFromFlags, withInventoryOptions, type InventoryFlags } from '../inventory-flags.js';
import { portsTable } from '../ports-table.js';

interface PortsFlags extends InventoryFlags {
  format: string;
  strict?: boolean;
}

export function portsCommand(program: Command, ctx: CommandContext): void {
  withInventoryOptions(program.command('ports'))
    .description('list every port of every service: declared, listening, reachable from the network, and the protocol it speaks')
    .option('--format <format>', 'text or json', 'text')
    .option('--strict', 'undeclared listeners fail too (exit 1)')
    .action(async (flags: PortsFlags) => {
      if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format takes text or json, not "${flags.format}"`);
      const inventory = await inventoryFromFlags(flags, ctx);
      ctx.out(flags.format === 'json' ? JSON.stringify(inventory, null, 2) : portsTable(inventory));
      if (hasBadPort(inventory, !!flags.strict)) process.exitCode = ExitCode.checksFailed;
    });
}

export function hasBadPort(inventory: PortInventory, strict: boolean): boolean {
  return Object.values(inventory.services).some((ports) => ports.some((p) => isBadFinding(p.finding, strict)));
}
