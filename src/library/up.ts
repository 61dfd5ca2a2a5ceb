// `up()`: the library's front door. The same preparation and start as `envtest up`, returning an
// environment the caller owns until `down()` (or the end of its `await using` block).
import pino from 'pino';
import { connectEngine } from './engine.js';
import { Environment } from './environment.js';
import { prepareUp, type UpOptions } from './prepare.js';
import { startPrepared } from './start.js';

/**
 * Brings a compose project up on its own isolated network and resolves once every service is
 * ready. Rejects with ValidationError/UsageError (bad input, nothing started), EngineUnavailableError
 * (no engine answered) or EnvironmentError (the stack did not come up; whatever started is removed).
 *
 * ```ts
 * await using env = await up({ files: ['compose.yaml'] });
 * ```
 */
export async function up(options: UpOptions = {}): Promise<Environment> {
  const prepared = await prepareUp(options);
  const logger = options.logger ?? pino({ level: 'silent' });
  for (const warning of prepared.loaded.warnings) logger.warn(warning, 'compose warning');
  // The engine is found as the docker CLI finds it, in `env` layered over process.env.
  const runtime = connectEngine({ backend: options.backend, registry: options.registry, sweepImage: prepared.sidecarImage }, options.env ? { ...process.env, ...options.env } : process.env);
  const stack = await startPrepared(prepared, { runtime, logger, signal: options.signal });
  return new Environment(stack, runtime, { loaded: prepared.loaded, logger: logger.child({ run: prepared.runId }), sidecarImage: prepared.sidecarImage });
}
