// What `ports` and `init` share: the flags of `up`, `--attach`, and the inventory taken on a
// stack they start and tear down (or one that is already up).
import type { Command } from 'commander';
import type { PortInventory } from '../model/ports.js';
import { attach } from '../orchestrator/attach.js';
import { inventoryRun } from '../orchestrator/ports/inventory-run.js';
import { checkRunId, generateRunId } from '../orchestrator/run-id.js';
import { resolveSidecarImage } from '../orchestrator/sidecar.js';
import { checkStartable } from '../orchestrator/up.js';
import { teardownLine } from './check-reporter.js';
import { loadFromFlags } from './compose-options.js';
import type { CommandContext } from './context.js';
import { terminalProgress } from './reporter.js';
import { redactorFor } from './secrets.js';
import { upSettings, wantsReaper, withUpOptions, type UpFlags } from './up-flags.js';

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
  const settings = upSettings(flags);
  const loaded = flags.attach && !flags.file ? undefined : await loadFromFlags(flags);
  if (loaded && !flags.attach) checkStartable(loaded.project, { ...settings, environment: loaded.environment });
  for (const w of loaded?.warnings ?? []) ctx.warn(w);
  const runId = checkRunId(flags.attach ?? flags.runId ?? generateRunId());
  ctx.useRedactor(redactorFor(loaded));
  const logger = ctx.logger();
  const runtime = ctx.runtime();
  if (flags.attach) ctx.signals.graceful();
  else ctx.forceTeardownOf(runId);
  ctx.err(`envtest: ports of run ${runId}${flags.attach ? ' (attached)' : ''}`);
  await runtime.ping();
  const attached = flags.attach ? await attach(runtime, flags.attach, logger) : undefined;
  const sidecarImage = await resolveSidecarImage(runtime, flags.sidecarImage ?? process.env.ENVTEST_SIDECAR_IMAGE);
  return inventoryRun({
    ...settings,
    runtime,
    project: loaded?.project ?? attached!.project,
    environment: loaded?.environment,
    runId,
    attached,
    sidecarImage,
    reaper: wantsReaper(flags) && !attached ? { image: process.env.ENVTEST_REAPER_IMAGE ?? sidecarImage } : undefined,
    logger,
    progress: terminalProgress(ctx.err),
    onTeardown: (r) => ctx.err(teardownLine(r)),
    signal: ctx.signals.signal,
  });
}
