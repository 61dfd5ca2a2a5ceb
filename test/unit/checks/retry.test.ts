import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/checks/clock.js';
import { retryUntilPass } from '../../../src/checks/retry.js';
import type { AttemptOutcome } from '../../../src/checks/types.js';

/** Virtual time: attempts take `attemptMs`, sleeps advance the clock instantly. */
function fakeClock(): Clock & { t: number; sleeps: number[] } {
  const c = { t: 0, sleeps: [] as number[], now: () => c.t, sleep: async (ms: number) => void (c.sleeps.push(ms), (c.t += ms)) };
  return c;
}

const fail: AttemptOutcome = { ok: false, message: 'nope' };
const pass: AttemptOutcome = { ok: true };

describe('retryUntilPass', () => {
  it('stops at the first pass and counts attempts', async () => {
    const clock = fakeClock();
    const outcomes = [fail, fail, pass, fail];
    const r = await retryUntilPass(async () => outcomes.shift()!, { forMs: 10_000, everyMs: 200 }, clock);
    expect(r).toMatchObject({ last: pass, attempts: 3 });
    expect(clock.sleeps).toEqual([200, 200]);
  });

  it('does not start an attempt whose pause would end past the window', async () => {
    const clock = fakeClock();
    const r = await retryUntilPass(
      async () => {
        clock.t += 100; // each attempt takes 100ms
        return fail;
      },
      { forMs: 1000, everyMs: 200 },
      clock,
    );
    // attempts start at 0, 300, 600, 900; a fifth would start at 1200, past the window
    expect(r.attempts).toBe(4);
    expect(r.last).toBe(fail);
    expect(r.elapsedMs).toBe(1000);
  });

  it('makes exactly one attempt when the window is 0', async () => {
    const clock = fakeClock();
    const r = await retryUntilPass(async () => fail, { forMs: 0, everyMs: 200 }, clock);
    expect(r.attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});
