// The engine connection the library works through. `up()` and `run()` make their own; the CLI, the
// composition root of its process, makes one here and hands it to the library's calls, which is why
// the runtime's types pass through this module: the CLI holds an engine, it never works one.
import { UsageError } from '../errors.js';
import { DEFAULT_SIDECAR_IMAGE } from '../orchestrator/images/sidecar-image.js';
import { parseBackendName, type Backend, type BackendName } from '../runtime/backend.js';
import { createBackend, type BackendChoice } from '../runtime/create.js';
import type { Logger } from 'pino';
import { rememberingImages } from '../runtime/remembered-images.js';
import { timedCalls } from '../runtime/timed-calls.js';

export type { Backend, ExecSession } from '../runtime/backend.js';
export type { BackendChoice, BackendName };

/** The engine (or swarm manager) found as the docker CLI finds it in `env`, through the chosen backend (docker unless asked). */
export function connectEngine(choice: BackendChoice = {}, env: NodeJS.ProcessEnv = process.env): Backend {
  return createBackend(choice, env);
}

/**
 * The engine the CLI's flags and environment name: `--backend` (else ENVTEST_BACKEND), `--registry`
 * (else ENVTEST_REGISTRY); a backend that does not exist is a UsageError naming where it came from.
 */
export function connectNamedEngine(flags: { backend?: string; registry?: string }, env: NodeJS.ProcessEnv = process.env): Backend {
  const [value, from] = flags.backend !== undefined ? [flags.backend, '--backend'] : [env.ENVTEST_BACKEND, 'ENVTEST_BACKEND'];
  let backend: BackendName | undefined;
  try {
    backend = parseBackendName(value, from);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const registry = flags.registry ?? (env.ENVTEST_REGISTRY || undefined);
  return connectEngine({ backend, registry, sweepImage: env.ENVTEST_SIDECAR_IMAGE || DEFAULT_SIDECAR_IMAGE }, env);
}

/**
 * The runtime one run works with: an image found once is not looked up again (see rememberingImages),
 * and with a debug logger every engine call's duration goes to the log (what a slow run spent its time on).
 */
export function engineForOneRun<T extends Backend>(runtime: T, logger?: Logger): T {
  const timed = logger?.isLevelEnabled('debug') ? timedCalls(runtime, (call) => logger.debug(call, 'engine call')) : runtime;
  return rememberingImages(timed);
}
