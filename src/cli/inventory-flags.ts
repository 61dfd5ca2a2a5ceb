// What `ports` and `init` share: the flags of `up`, `--attach`, and the inventory taken on a
// stack they start and tear down (or one that is already up).
import type { Command } from 'commander';
import type { PortInventory } from '../model/ports.js';
import { prepareInventory, takePortInventory } from '../library/inventory.js';
import { teardownLine } from './check-reporter.js';
import { refuseWithAttach } from './attach-flags.js';
import type { CommandContext } from './context.js';
import { terminalProgress } from './reporter.js';
import { upOptionsFrom, withUpOptions, type UpFlags } from './up-flags.js';

export interface InventoryFlags extends UpFlags {
  attach?: string;
  sidecarImage?: string;
}

export function withInventoryOptions(cmd: Command): Command {
  return withUpOptions(cmd)
    .option('--attach <runId>', 'inventory an environment already up, and leave it up')
    .option('--sidecar-image <image>', 'image for the sidecar and the port-reading helper: any image with node >= 18');
}

export async function inventoryFromFlags(flags: InventoryFlags, ctx: CommandContext): Promise<PortInventory> {
  refuseWithAttach(flags);
  // Starting a stack goes through the library's preparation; --attach loads no compose file.
  const prepared = await prepareInventory({ ...(flags.attach ? { attach: flags.attach } : { ...upOptionsFrom(flags), backend: ctx.runtime().name }), sidecarImage: flags.sidecarImage });
  for (const w of prepared.warnings) ctx.warn(w);
  const { runId } = prepared;
  ctx.useRedactor(prepared.redactor);
  const logger = ctx.logger();
  const runtime = ctx.runtime();
  if (flags.attach) ctx.signals.graceful();
  else ctx.forceTeardownOf(runId);
  ctx.err(`envtest: ports of run ${runId}${flags.attach ? ' (attached)' : ''}`);
  return takePortInventory(prepared, {
    runtime,
    logger,
    progress: terminalProgress(ctx.err),
    onTeardown: (r) => ctx.err(teardownLine(r)),
    signal: ctx.signals.signal,
  });
}
