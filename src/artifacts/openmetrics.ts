// metrics.prom: the run's numbers in OpenMetrics text, for CI systems that chart them
// (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md).
import type { MetricsDocument } from './metrics.js';
import type { RunReport } from './report.js';

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

class Families {
  private readonly lines: string[] = [];

  family(name: string, type: 'gauge' | 'summary', help: string, unit: string | undefined, samples: [suffix: string, labels: Labels, value: number][]): void {
    if (!samples.length) return;
    this.lines.push(`# TYPE ${name} ${type}`);
    if (unit) this.lines.push(`# UNIT ${name} ${unit}`);
    this.lines.push(`# HELP ${name} ${help}`);
    for (const [suffix, labels, value] of samples) this.lines.push(`${name}${suffix}${labelText(labels)} ${Number.isFinite(value) ? value : 'NaN'}`);
  }

  text(): string {
    return `${[...this.lines, '# EOF'].join('\n')}\n`;
  }
}

const seconds = (ms: number) => Math.round(ms) / 1000;

export function openMetrics(report: RunReport, metrics: MetricsDocument): string {
  const run = { run: report.runId };
  const f = new Families();
  f.family('envtest_run_duration_seconds', 'gauge', 'Wall time of the run.', 'seconds', [['', run, seconds(report.durationMs)]]);
  f.family('envtest_run_passed', 'gauge', '1 when every check passed.', undefined, [['', run, report.status === 'passed' ? 1 : 0]]);
  f.family(
    'envtest_service_start_seconds',
    'gauge',
    'When each service was created, started and ready, from the environment start.',
    'seconds',
    metrics.timeline.services.flatMap((s) =>
      (['created', 'started', 'ready'] as const).flatMap((phase): [string, Labels, number][] => {
        const ms = phase === 'created' ? s.createdMs : phase === 'started' ? s.startedMs : s.readyMs;
        return ms === undefined ? [] : [['', { ...run, service: s.name, phase }, seconds(ms)]];
      }),
    ),
  );
  const usage = Object.entries(metrics.services).flatMap(([service, s]) => (s.usage ? [{ service, ...s.usage }] : []));
  f.family('envtest_service_cpu_percent_max', 'gauge', 'Highest CPU use sampled (100 = one core).', undefined, usage.flatMap((u): [string, Labels, number][] => (u.cpuPercent ? [['', { ...run, service: u.service }, u.cpuPercent.max]] : [])));
  f.family('envtest_service_memory_max_bytes', 'gauge', 'Highest memory use sampled.', 'bytes', usage.map((u) => ['', { ...run, service: u.service }, u.memoryBytes.max]));
  const checks = metrics.checks.map((c) => ({ ...c, labels: { ...run, suite: c.suite, check: c.name } }));
  f.family('envtest_check_passed', 'gauge', '1 when the check passed.', undefined, checks.map((c) => ['', c.labels, c.status === 'passed' ? 1 : 0]));
  f.family('envtest_check_attempts', 'gauge', 'Attempts made before the check passed or gave up.', undefined, checks.map((c) => ['', c.labels, c.attempts]));
  f.family('envtest_check_duration_seconds', 'gauge', 'Time the check took, retries and samples included.', 'seconds', checks.map((c) => ['', c.labels, seconds(c.durationMs)]));
  f.family(
    'envtest_check_latency_seconds',
    'summary',
    'Latency over the latency samples (nearest-rank quantiles).',
    'seconds',
    checks.flatMap((c): [string, Labels, number][] => {
      if (!c.latency) return [];
      const q = (quantile: string, ms: number): [string, Labels, number] => ['', { ...c.labels, quantile }, ms / 1000];
      const sum = c.samplesMs.reduce((a, b) => a + b, 0);
      return [q('0.5', c.latency.p50), q('0.95', c.latency.p95), q('0.99', c.latency.p99), q('1', c.latency.max), ['_count', c.labels, c.latency.samples], ['_sum', c.labels, sum / 1000]];
    }),
  );
  return f.text();
}
