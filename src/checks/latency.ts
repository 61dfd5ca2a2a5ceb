// Latency bounds against a summary: the first bound exceeded, phrased `p95 312ms > 250ms over 40 samples`.
import type { LatencySummary } from '../model/results.js';
import type { LatencyBounds } from '../model/suite.js';

const KEYS = ['p50', 'p95', 'p99', 'max'] as const;

export function formatMs(ms: number): string {
  return ms >= 10 ? `${Math.round(ms)}ms` : `${Number(ms.toFixed(1))}ms`;
}

export function latencyViolation(bounds: LatencyBounds | undefined, summary: LatencySummary): string | undefined {
  for (const key of KEYS) {
    const bound = bounds?.[key];
    if (bound !== undefined && summary[key] > bound) {
      return `${key} ${formatMs(summary[key])} > ${formatMs(bound)} over ${summary.samples} samples`;
    }
  }
  return undefined;
}

export function latencyNote(summary: LatencySummary): string {
  return `p50 ${formatMs(summary.p50)}, p95 ${formatMs(summary.p95)}, p99 ${formatMs(summary.p99)}, max ${formatMs(summary.max)} over ${summary.samples} samples`;
}
