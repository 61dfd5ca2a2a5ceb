// Checks per second of the sidecar runner: one service, a suite of many cheap checks, one run.
import { envtestRun, checksSpanMs } from './envtest-run.mjs';
import { writeThroughputStack } from './stacks.mjs';

/** Resolves { protocol, checks, passed, spanMs, perSecond } from the run's own report. */
export async function throughputRow({ protocol, count, tmp, runId, artifacts }) {
  const stack = writeThroughputStack(tmp, protocol, count);
  const run = await envtestRun({ ...stack, runId, artifacts });
  const checks = run.report?.checks ?? [];
  const spanMs = checksSpanMs(checks);
  return {
    id: `sidecar-${protocol}`,
    protocol,
    checks: count,
    passed: checks.filter((c) => c.status === 'passed').length,
    spanMs,
    perSecond: spanMs ? Math.round((count / spanMs) * 1000) : null,
    runMs: Math.round(run.ms),
    problems: run.ok ? [] : [`envtest run exited ${run.exitCode}: ${run.output.slice(-1500)}`],
    runIds: [runId],
  };
}
