import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import { isBadFinding, type PortInventory } from '../../model/ports.js';
import type { CommandContext } from '../context.js';
import { inventoryFromFlags, withInventoryOptions, type InventoryFlags } from '../inventory-flags.js';
import { portsTable } from '../ports-table.js';
import { formatOption } from '../format-option.js';

interface PortsFlags extends InventoryFlags {
  format: string;
  strict?: boolean;
}

export function portsCommand(program: Command, ctx: CommandContext): void {
  withInventoryOptions(program.command('ports'))
    .description('list every port of every service: declared, listening, reachable from the network, and the protocol it speaks')
    .addOption(formatOption(['text', 'json'], 'text or json', 'text'))
    .option('--strict', 'undeclared listeners fail too (exit 1)')
    .action(async (flags: PortsFlags) => {
      const inventory = await inventoryFromFlags(flags, ctx);
      ctx.out(flags.format === 'json' ? JSON.stringify(inventory, null, 2) : portsTable(inventory));
      if (hasBadPort(inventory, !!flags.strict)) process.exitCode = ExitCode.checksFailed;
    });
}

export function hasBadPort(inventory: PortInventory, strict: boolean): boolean {
  return Object.values(inventory.services).some((ports) => ports.some((p) => isBadFinding(p.finding, strict)));
}
