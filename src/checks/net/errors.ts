// Which errors mean "nothing reachable there" as opposed to "something answered wrongly".
import { formatDuration } from '../../model/duration.js';
import type { AttemptOutcome } from '../types.js';

/** Marks errors whose message already says what went wrong, so the timeout does not replace it. */
const OURS = Symbol('envtest.explained');

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
]);

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  // Some clients (AggregateError from happy-eyeballs, pg, ioredis) wrap the socket error.
  const inner = (err as { errors?: unknown[]; cause?: unknown } | null) ?? undefined;
  if (inner?.errors?.length) return errorCode(inner.errors[0]);
  if (inner?.cause) return errorCode(inner.cause);
  return undefined;
}

export function isUnreachableCode(code: string | undefined): code is string {
  return code !== undefined && UNREACHABLE.has(code);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || (err as { code?: string }).code || err.name;
  return String(err);
}

/** A thrown error as an outcome: unreachable when the code says so, else its message. */
export function errorOutcome(err: unknown, signal: AbortSignal, timeoutMs: number): AttemptOutcome {
  const code = errorCode(err);
  if (isUnreachableCode(code)) return { ok: false, unreachable: code, message: `${code}: ${errorMessage(err)}` };
  // A library torn down by the timeout fails with whatever it fails with; the timeout is the story.
  if (signal.aborted && !(err as { [OURS]?: boolean })[OURS]) {
    return { ok: false, message: `no answer within ${formatDuration(timeoutMs)}` };
  }
  return { ok: false, message: errorMessage(err) };
}

/** An error carrying a code, for protocols that detect a condition themselves (e.g. connect timeout). */
export function codedError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code, [OURS]: true });
}
