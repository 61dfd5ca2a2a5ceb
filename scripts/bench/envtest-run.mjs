// One `envtest run` through the built CLI, as a user runs it: wall time, peak RSS, and what its own
// artifacts say (status, teardown time, the start timeline).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measure } from './process.mjs';
import { envtestBin } from './paths.mjs';

/** Resolves { ms, peakMb, ok, report, metrics, output }; a failed run is reported, not thrown. */
export async function envtestRun({ file, checks, runId, artifacts, extraArgs = [] }) {
  const r = await measure('node', [envtestBin, 'run', '-f', file, '--checks', checks, '--run-id', runId, '--artifacts', artifacts, ...extraArgs]);
  const dir = join(artifacts, runId);
  const read = (name) => (existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), 'utf8')) : undefined);
  const report = read('report.json');
  return { ms: r.ms, peakMb: r.peakMb, ok: r.exitCode === 0 && report?.status === 'passed', exitCode: r.exitCode, report, metrics: read('metrics.json'), output: r.output };
}

/** The span from the first check's start to the last check's end, in ms (checks carry epoch ms). */
export function checksSpanMs(results) {
  const timed = results.filter((c) => c.startedAt !== undefined && c.finishedAt !== undefined);
  if (!timed.length) return undefined;
  return Math.max(...timed.map((c) => c.finishedAt)) - Math.min(...timed.map((c) => c.startedAt));
}
