// Docker's error wording, read in one place and turned into the runtime's typed errors.
import { EngineUnavailableError } from '../../errors.js';
import { AddressPoolExhaustedError, NameConflictError, PortInUseError } from '../errors.js';

export function engineMessage(e: unknown): string {
  const json = (e as { json?: { message?: string } | string }).json;
  const message = typeof json === 'object' && json?.message ? json.message : e instanceof Error ? e.message : String(e);
  return message.trim();
}

/** The typed error for a failed engine call, or the original when it is none of the known kinds. */
export function classify(e: unknown, endpoint: string): unknown {
  const message = engineMessage(e);
  const { code, syscall } = e as { code?: string; syscall?: string };
  // Only the connection to the engine: a missing build context is an ENOENT too, from a file read.
  const connecting = syscall === 'connect' || ((code === 'EPIPE' || code === 'ECONNRESET') && syscall !== 'open');
  if (connecting && (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EPIPE' || code === 'ECONNRESET')) {
    return new EngineUnavailableError(`the container engine at ${endpoint} stopped answering (${code}); is Docker still running?`, { cause: e });
  }
  const port = /(?:Bind for |listen tcp[46]? )([\d.:[\]a-f]*:\d+)/i.exec(message);
  if (port && /already allocated|address already in use/i.test(message)) return new PortInUseError(port[1]!, message);
  if (/address pool|non-overlapping/i.test(message)) return new AddressPoolExhaustedError(message, message);
  if ((e as { statusCode?: number }).statusCode === 409 && /already (in use|exists)/i.test(message)) return new NameConflictError(message, message);
  return e;
}

/** An object that is not (or no longer) there; a race with a removal, more often than not. */
export const isNotFound = (e: unknown): boolean => (e as { statusCode?: number } | undefined)?.statusCode === 404;

/** A kill refused because there was nothing to kill, in Docker's words and Podman's. */
export const isNotRunning = (e: unknown): boolean => /is not running|can only kill running/i.test(engineMessage(e));
