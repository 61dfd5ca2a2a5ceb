// `attach(runId)`: an environment that is already up (from `envtest up`, or a run kept with `keep`),
// for a test that checks, reaches or inspects it without owning it.
import pino, { type Logger } from 'pino';
import { attach as attachRun } from '../orchestrator/lifecycle/attach.js';
import { checkRunId } from '../orchestrator/lifecycle/run-id.js';
import { connectEngine } from './engine.js';
import { Environment } from './environment.js';

/** Options of {@link attach}. */
export interface AttachOptions {
  /** Image of the check sidecar and `address()`'s relay: any image with node >= 18. */
  sidecarImage?: string;
  /** A pino logger for envtest's structured logs. Default: silent. */
  logger?: Logger;
}

/**
 * The environment with this run id, as `envtest run --attach` finds it: its services by their
 * labels. `check()`, `address()`, `logs()` and `exec()` work as on one from `up()`; leaving an
 * `await using` block only closes what this object opened, and the run stays up. Rejects with a
 * UsageError when no environment with that run id is up.
 */
export async function attach(runId: string, options: AttachOptions = {}): Promise<Environment> {
  checkRunId(runId);
  const logger = options.logger ?? pino({ level: 'silent' });
  const runtime = connectEngine();
  const stack = await attachRun(runtime, runId, logger);
  return new Environment(stack, runtime, { logger: logger.child({ run: runId }), sidecarImage: options.sidecarImage ?? process.env.ENVTEST_SIDECAR_IMAGE, attached: true });
}
