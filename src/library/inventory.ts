// The port inventory of `envtest ports` and `envtest init`: on a stack started for it and torn down
// afterwards, or on one that is already up (left up).
import type { Logger } from 'pino';
import type { Problem } from '../errors.js';
import type { PortInventory } from '../model/ports.js';
import { attach } from '../orchestrator/lifecycle/attach.js';
import { inventoryRun } from '../orchestrator/ports/inventory-run.js';
import type { ProgressListener } from '../orchestrator/lifecycle/progress.js';
import { resolveSidecarImage } from '../orchestrator/sidecar/sidecar.js';
import type { Redactor } from '../text/redact.js';
import { engineForOneRun, type Backend } from './engine.js';
import type { DownReport } from './environment.js';
import type { UpOptions } from './prepare.js';
import { redactorFor } from './secrets.js';
import { reaperImageFor, upSettingsOf } from './start.js';
import { prepareStartOrAttach, type StartOrAttach } from './start-or-attach.js';

export interface PreparedInventory extends StartOrAttach {
  attach?: string;
  redactor: Redactor;
  warnings: Problem[];
}

/** `up()`'s options, or `attach`: checked before any engine call. */
export async function prepareInventory(options: UpOptions & { attach?: string }): Promise<PreparedInventory> {
  const start = await prepareStartOrAttach(options);
  return { ...start, attach: options.attach, redactor: redactorFor(start.up?.loaded), warnings: start.up?.loaded.warnings ?? [] };
}

export interface InventoryExtras {
  runtime: Backend;
  logger: Logger;
  progress?: ProgressListener;
  onTeardown?: (report: DownReport) => void;
  signal?: AbortSignal;
}

export async function takePortInventory(prepared: PreparedInventory, extras: InventoryExtras): Promise<PortInventory> {
  const runtime = engineForOneRun(extras.runtime, extras.logger);
  const { up: start, runId } = prepared;
  await runtime.ping();
  const attached = prepared.attach ? await attach(runtime, prepared.attach, extras.logger) : undefined;
  const sidecarImage = await resolveSidecarImage(runtime, prepared.sidecarImage);
  const reaperImage = start?.reaper ? await reaperImageFor(runtime, sidecarImage) : undefined;
  return inventoryRun({
    ...(start ? upSettingsOf(start) : { project: attached!.project }),
    runtime,
    runId,
    attached,
    sidecarImage,
    helperImage: sidecarImage,
    reaper: reaperImage ? { image: reaperImage } : undefined,
    logger: extras.logger,
    progress: extras.progress,
    onTeardown: extras.onTeardown,
    signal: extras.signal,
  });
}
