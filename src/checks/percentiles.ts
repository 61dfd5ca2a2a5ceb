// Nearest-rank percentiles: always a latency that was actually observed, never an interpolation,
// so "p95 312ms" means a real request took 312ms.
import type { LatencySummary } from '../model/results.js';

export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('no samples');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    min: sorted[0]!,
    p50: nearestRank(sorted, 50),
    p95: nearestRank(sorted, 95),
    p99: nearestRank(sorted, 99),
    max: sorted[sorted.length - 1]!,
    samples: sorted.length,
  };
}
