// What `ports` and `init` share: the flags of `up`, `--attach`, and the inventory taken on a
// stack they start and tear down (or one that is already up).
import type { Command } from 'commander';
import type { PortInventory } from '../model/ports.js';
import { attach } from '../orchestrator/attach.js';
import { inventoryRun } from '../orchestrator/ports/inventory-run.js';
import { prepareUp } from '../library/prepare.js';
import { redactorFor } from '../library/secrets.js';
import { reaperImageFor, upSettingsOf } from '../library/start.js';
import { checkRunId } from '../orchestrator/run-id.js';
import { resolveSidecarImage } from '../orchestrator/sidecar.js';
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
  const prepared = flags.attach ? undefined : await prepareUp({ ...upOptionsFrom(flags), sidecarImage: flags.sidecarImage });
  const loaded = prepared?.loaded;
  for (const w of loaded?.warnings ?? []) ctx.warn(w);
  const runId = prepared?.runId ?? checkRunId(flags.attach!);
  ctx.useRedactor(redactorFor(loaded));
  const logger = ctx.logger();
  const runtime = ctx.runtime();
  if (flags.attach) ctx.signals.graceful();
  else ctx.forceTeardownOf(runId);
  ctx.err(`envtest: ports of run ${runId}${flags.attach ? ' (attached)' : ''}`);
  await runtime.ping();
  const attached = flags.attach ? await attach(runtime, flags.attach, logger) : undefined;
  const sidecarImage = await resolveSidecarImage(runtime, prepared?.sidecarImage ?? process.env.ENVTEST_SIDECAR_IMAGE);
  const reaperImage = prepared?.reaper ? await reaperImageFor(runtime, sidecarImage) : undefined;
  return inventoryRun({
    ...(prepared ? upSettingsOf(prepared) : { project: attached!.project }),
    runtime,
    runId,
    attached,
    sidecarImage,
    helperImage: sidecarImage,
    reaper: reaperImage ? { image: reaperImage } : undefined,
    logger,
    progress: terminalProgress(ctx.err),
    onTeardown: (r) => ctx.err(teardownLine(r)),
    signal: ctx.signals.signal,
  });
}
