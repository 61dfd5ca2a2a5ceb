// A prepared start put on the engine: the reaper image chosen the same way for the library and the
// CLI, then the orchestrator's up. What the CLI adds (detaching, a terminal reporter, log files) are
// the extras.
import type { Logger } from 'pino';
import type { Environment as Stack } from '../orchestrator/lifecycle/environment.js';
import type { ProgressListener } from '../orchestrator/lifecycle/progress.js';
import { resolveSidecarImage } from '../orchestrator/sidecar/sidecar.js';
import { up, type UpOptions } from '../orchestrator/lifecycle/up.js';
import { engineForOneRun, type Backend } from './engine.js';
import type { PreparedUp } from './prepare.js';

export type { Stack, ProgressListener };

export interface StartExtras {
  runtime: Backend;
  logger?: Logger;
  signal?: AbortSignal;
  progress?: ProgressListener;
  /** Meant to outlive this process (`envtest up`, `run --keep`): never counted as stale. */
  detached?: boolean;
  logsDir?: string;
  reaperImage?: string;
}

export async function startPrepared(prepared: PreparedUp, extras: StartExtras): Promise<Stack> {
  const runtime = engineForOneRun(extras.runtime, extras.logger);
  extras.signal?.throwIfAborted();
  await runtime.ping();
  const reaperImage = prepared.reaper ? await reaperImageFor(runtime, prepared.sidecarImage) : undefined;
  return up({
    ...upSettingsOf(prepared),
    runtime,
    reaper: reaperImage ? { image: reaperImage } : undefined,
    logger: extras.logger,
    progress: extras.progress,
    signal: extras.signal,
    detached: extras.detached,
    logsDir: extras.logsDir,
  });
}

/** The orchestrator's view of a prepared start (`envtest run` hands it to runSuites). */
export function upSettingsOf(prepared: PreparedUp) {
  return {
    project: prepared.loaded.project,
    locate: prepared.loaded.locate,
    environment: prepared.loaded.environment,
    runId: prepared.runId,
    timeoutMs: prepared.timeoutMs,
    egress: prepared.egress,
    publish: prepared.publish,
    build: prepared.build,
    keepOnFailure: prepared.keepOnFailure,
    allowEngineSocket: prepared.allowEngineSocket,
    redactor: prepared.redactor,
  } satisfies Partial<UpOptions>;
}

/** The reaper runs node, so any sidecar image will do. */
export async function reaperImageFor(runtime: Backend, sidecarImage: string | undefined): Promise<string> {
  return process.env.ENVTEST_REAPER_IMAGE ?? (await resolveSidecarImage(runtime, sidecarImage));
}
