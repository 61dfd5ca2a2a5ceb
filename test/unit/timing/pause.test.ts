import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pause } from '../../../src/timing/pause.js';

describe('pause', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const settled = async (p: Promise<void>) => {
    let done = false;
    void p.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    return done;
  };

  it('resolves after its time, on the virtual clock', async () => {
    const p = pause(500);
    await vi.advanceTimersByTimeAsync(499);
    expect(await settled(p)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(p)).toBe(true);
  });

  it('resolves, without rejecting, as soon as any of its signals aborts, and at once if one already has', async () => {
    const run = new AbortController();
    const wake = new AbortController();
    const p = pause(60_000, run.signal, wake.signal);
    expect(await settled(p)).toBe(false);
    wake.abort();
    expect(await settled(p)).toBe(true);
    await expect(pause(60_000, AbortSignal.abort())).resolves.toBeUndefined();
    // A signal a caller may not have is given as it is: an absent one never ends the pause.
    const optional = new AbortController();
    const q = pause(60_000, undefined, optional.signal);
    expect(await settled(q)).toBe(false);
    optional.abort();
    expect(await settled(q)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
