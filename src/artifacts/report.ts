// report.json: the run as data. Everything a CI dashboard or a later HTML report needs, and
// nothing secret (the whole document passes through the redactor before it is written).
import type { CheckResult, RunStatus } from '../model/results.js';

export interface ServiceTiming {
  name: string;
  containerName: string;
  readiness?: string;
  createdMs: number;
  startedMs: number;
  readyMs?: number;
}

export interface RunReport {
  runId: string;
  project: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  services: ServiceTiming[];
  summary: { total: number; passed: number; failed: number };
  checks: Omit<CheckResult, 'samplesMs'>[];
  /** Why the run ended in `error`. */
  error?: string;
}

export function buildReport(input: {
  runId: string;
  project: string;
  startedAt: number;
  finishedAt: number;
  services: ServiceTiming[];
  results: CheckResult[];
  error?: string;
}): RunReport {
  const failed = input.results.filter((r) => r.status === 'failed').length;
  const status: RunStatus = input.error ? 'error' : failed > 0 ? 'failed' : 'passed';
  return {
    runId: input.runId,
    project: input.project,
    status,
    startedAt: new Date(input.startedAt).toISOString(),
    finishedAt: new Date(input.finishedAt).toISOString(),
    durationMs: input.finishedAt - input.startedAt,
    services: input.services,
    summary: { total: input.results.length, passed: input.results.length - failed, failed },
    checks: input.results.map(({ samplesMs: _samples, ...rest }) => rest),
    ...(input.error ? { error: input.error } : {}),
  };
}
