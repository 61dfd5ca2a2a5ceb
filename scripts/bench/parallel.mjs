// N `envtest run`s of one stack at the same time, each with its own run id: all must pass.
import { envtestRun } from './envtest-run.mjs';

/** Resolves { wallMs, green, runs }: wall time from the first start to the last exit. */
export async function parallelRound({ stack, n, runIdOf, artifacts }) {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: n }, (_, i) => envtestRun({ ...stack, runId: runIdOf(i), artifacts }).then((r) => ({ ...r, runId: runIdOf(i) }))));
  const wallMs = performance.now() - started;
  // The first line says why (the checks that failed, or the run's error), the rest is the run's output.
  const failures = results.filter((r) => !r.ok).map((r) => `${r.runId}: exit ${r.exitCode}: ${whyFailed(r)}\n${r.output.slice(-800)}`);
  return { wallMs, green: n - failures.length, runs: n, failures, peakMb: Math.max(...results.map((r) => r.peakMb)) };
}

function whyFailed(run) {
  const failed = (run.report?.checks ?? []).filter((c) => c.status !== 'passed');
  if (failed.length) return failed.map((c) => `${c.name}: ${c.message}`).join('; ');
  // A start that failed: report.json says why (envtest's own last lines may be the service's logs).
  if (typeof run.report?.error === 'string') return run.report.error;
  return run.output.trim().split('\n').at(-1);
}
