// Time, injected so retry and sampling logic can be tested without waiting.
import { setTimeout as sleep } from 'node:timers/promises';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: async (ms) => {
    await sleep(ms);
  },
};
