// metrics.json: the start timeline, each check's latency distribution, and container CPU and memory
// sampled every second through the run (orchestrator/sampling/resource-sampler.ts), per service.
import type { CheckResult } from '../model/results.js';
import type { ResourceUsage } from '../runtime/backend.js';
import type { RunReport } from './report.js';

export interface ResourceStats {
  samples: number;
  /** Absent when no sample measured CPU (a service that ran for less than the engine's second of measuring). */
  cpuPercent?: { max: number; mean: number };
  memoryBytes: { max: number; mean: number };
}

function stats(usage: ResourceUsage[]): ResourceStats | undefined {
  if (!usage.length) return undefined;
  const of = (v: number[]) => (v.length ? { max: Math.max(...v), mean: Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100 } : undefined);
  const cpu = of(usage.flatMap((u) => (u.cpuPercent === undefined ? [] : [u.cpuPercent])));
  return { samples: usage.length, ...(cpu ? { cpuPercent: cpu } : {}), memoryBytes: of(usage.map((u) => u.memoryBytes))! };
}

/** Check start and end in ms from the environment's start, on the services' time axis. */
export function checkSpans(report: RunReport): { suite: string; name: string; status: string; startMs: number; endMs: number }[] {
  const origin = report.environmentStartedAt;
  if (origin === undefined) return [];
  return report.checks
    .filter((c) => c.startedAt !== undefined && c.finishedAt !== undefined)
    .map((c) => ({ suite: c.suite, name: c.name, status: c.status, startMs: c.startedAt! - origin, endMs: c.finishedAt! - origin }));
}

export function metricsDocument(report: RunReport, results: CheckResult[], resources: Record<string, ResourceUsage[]>) {
  return {
    runId: report.runId,
    timeline: {
      origin: report.environmentStartedAt,
      services: report.services.map((s) => ({ name: s.name, createdMs: s.createdMs, startedMs: s.startedMs, readyMs: s.readyMs })),
      checks: checkSpans(report),
    },
    services: Object.fromEntries(
      report.services.map((s) => {
        const usage = resources[s.name] ?? [];
        return [s.name, { createdMs: s.createdMs, startedMs: s.startedMs, readyMs: s.readyMs, usage: stats(usage), resources: usage }];
      }),
    ),
    checks: results.map((r) => ({
      suite: r.suite,
      name: r.name,
      status: r.status,
      durationMs: r.durationMs,
      attempts: r.attempts,
      latency: r.latency,
      samplesMs: r.samplesMs ?? [],
    })),
  };
}

export type MetricsDocument = ReturnType<typeof metricsDocument>;
