// metrics.json: per-service start timings, per-check latencies, and container CPU and memory
// sampled while the run lasts (orchestrator/resource-sampler.ts).
import type { CheckResult } from '../model/results.js';
import type { ResourceUsage } from '../runtime/runtime.js';
import type { ServiceTiming } from './report.js';

export function metricsDocument(services: ServiceTiming[], results: CheckResult[], resources: Record<string, ResourceUsage[]>) {
  return {
    services: Object.fromEntries(
      services.map((s) => [s.name, { createdMs: s.createdMs, startedMs: s.startedMs, readyMs: s.readyMs, resources: resources[s.name] ?? [] }]),
    ),
    checks: results.map((r) => ({ suite: r.suite, name: r.name, durationMs: r.durationMs, attempts: r.attempts, latency: r.latency, samplesMs: r.samplesMs ?? [] })),
  };
}
