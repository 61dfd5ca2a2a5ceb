// Bounds one attempt. The protocol gets an AbortSignal and is expected to settle when it fires
// (closing what it opened); a short grace later the runner gives up on it regardless, so a client
// library that ignores the signal cannot hang the run.
import { formatDuration } from '../model/duration.js';
import { errorOutcome } from './net/errors.js';
import type { AttemptOutcome } from './types.js';

const GRACE_MS = 500;

export async function withDeadline(
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<AttemptOutcome>,
): Promise<AttemptOutcome> {
  const controller = new AbortController();
  let hardTimer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const giveUp = new Promise<AttemptOutcome>((resolve) => {
    hardTimer = setTimeout(
      () => resolve({ ok: false, message: `no answer within ${formatDuration(timeoutMs)}` }),
      timeoutMs + GRACE_MS,
    );
  });
  try {
    return await Promise.race([
      (async () => work(controller.signal))().catch((err: unknown) => errorOutcome(err, controller.signal, timeoutMs)),
      giveUp,
    ]);
  } finally {
    clearTimeout(timer);
    clearTimeout(hardTimer);
    // Whatever the protocol still holds open is told to let go.
    controller.abort();
  }
}
