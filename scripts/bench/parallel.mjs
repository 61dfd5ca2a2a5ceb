// N `envtest run`s of one stack at the same time, each with its own run id: all must pass.
import { envtestRun } from './envtest-run.mjs';

/** Resolves { wallMs, green, runs }: wall time from the first start to the last exit. */
export async function parallelRound({ stack, n, runIdOf, artifacts }) {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: n }, (_, i) => envtestRun({ ...stack, runId: runIdOf(i), artifacts })));
  const wallMs = performance.now() - started;
  const failures = results.filter((r) => !r.ok).map((r) => `${r.report?.runId ?? '?'}: exit ${r.exitCode}\n${r.output.slice(-800)}`);
  return { wallMs, green: n - failures.length, runs: n, failures, peakMb: Math.max(...results.map((r) => r.peakMb)) };
}
