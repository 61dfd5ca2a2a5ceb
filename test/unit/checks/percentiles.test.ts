import { describe, expect, it } from 'vitest';
import { latencyViolation } from '../../../src/checks/latency.js';
import { nearestRank, summarize } from '../../../src/checks/percentiles.js';

describe('nearest-rank percentiles', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks observed values by rank ceil(p*n)', () => {
    expect(nearestRank(oneToHundred, 50)).toBe(50);
    expect(nearestRank(oneToHundred, 95)).toBe(95);
    expect(nearestRank(oneToHundred, 99)).toBe(99);
    expect(nearestRank([10, 20, 30, 40], 50)).toBe(20);
    expect(nearestRank([10, 20, 30, 40], 95)).toBe(40);
    expect(nearestRank([7], 99)).toBe(7);
  });

  it('summarizes unsorted samples', () => {
    expect(summarize([5, 1, 4, 2, 3])).toEqual({ min: 1, p50: 3, p95: 5, p99: 5, max: 5, samples: 5 });
  });

  it('refuses an empty sample set', () => {
    expect(() => nearestRank([], 50)).toThrow('no samples');
  });

  it('reports the first bound exceeded in the pinned form', () => {
    const s = { p50: 100, p95: 312.4, p99: 400, max: 500, samples: 40 };
    expect(latencyViolation({ p95: 250 }, s)).toBe('p95 312ms > 250ms over 40 samples');
    expect(latencyViolation({ p50: 200, max: 450 }, s)).toBe('max 500ms > 450ms over 40 samples');
    expect(latencyViolation({ p95: 312.4 }, s)).toBeUndefined();
    expect(latencyViolation({ max: 2 }, { p50: 1, p95: 2, p99: 2.5, max: 2.54, samples: 3 })).toBe('max 2.5ms > 2ms over 3 samples');
  });
});
