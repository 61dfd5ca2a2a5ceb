// Attempts a check until it passes or the retry window closes. The window bounds when attempts
// may START: one is not started if the pause before it would already end past `forMs`, so a check
// takes at most forMs plus one attempt's timeout.
import type { RetryPolicy } from '../model/suite.js';
import type { Clock } from './clock.js';
import type { AttemptOutcome } from './types.js';

export interface RetryResult {
  last: AttemptOutcome;
  attempts: number;
  elapsedMs: number;
}

export async function retryUntilPass(
  attempt: () => Promise<AttemptOutcome>,
  policy: RetryPolicy,
  clock: Clock,
): Promise<RetryResult> {
  const start = clock.now();
  let attempts = 0;
  for (;;) {
    attempts++;
    const last = await attempt();
    const elapsedMs = clock.now() - start;
    if (last.ok || elapsedMs + policy.everyMs > policy.forMs) return { last, attempts, elapsedMs };
    await clock.sleep(policy.everyMs);
  }
}
