// Bring a stack up (or use one that is up), take its port inventory, and tear down what was started
// here, whatever happened in between.
import type { PortInventory } from '../../model/ports.js';
import type { Environment } from '../lifecycle/environment.js';
import type { TeardownReport } from '../cleanup/teardown.js';
import { up, type UpOptions } from '../lifecycle/up.js';
import { takeInventory } from './inventory.js';

export interface InventoryRunOptions extends UpOptions {
  /** An environment already up: inventoried and left up. */
  attached?: Environment;
  sidecarImage?: string;
  onTeardown?: (report: TeardownReport) => void;
}

export async function inventoryRun(opts: InventoryRunOptions): Promise<PortInventory> {
  const logger = opts.logger!;
  let env = opts.attached;
  try {
    env ??= await up(opts);
    return await takeInventory({ runtime: opts.runtime, env, sidecarImage: opts.sidecarImage, logger, signal: opts.signal });
  } finally {
    if (env && !opts.attached) opts.onTeardown?.(await env.down());
  }
}
