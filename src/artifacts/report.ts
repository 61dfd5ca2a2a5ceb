// report.json: the run as data. Everything a CI dashboard or a later HTML report needs, and
// nothing secret (the whole document passes through the redactor before it is written).
import type { CheckResult, RunStatus } from '../model/results.js';
import type { CorrelatedLine } from './correlate.js';

export interface ServiceTiming {
  name: string;
  containerName: string;
  readiness?: string;
  /** With readiness `healthy`: `engine` (its own check's interval) or `envtest probe` (envtest ran the check itself, sooner). */
  readinessSource?: string;
  createdMs: number;
  startedMs: number;
  readyMs?: number;
  /** The machine(s) its replicas ran on, where the backend spreads them (swarm node hostnames). */
  node?: string;
}

/** A check's entry: its result, and for a failure the service log lines around it. */
export type ReportCheck = Omit<CheckResult, 'samplesMs'> & { logs?: CorrelatedLine[] };

/** What teardown removed; the same shape the orchestrator's teardown reports. */
export interface TeardownSummary {
  ms: number;
  removed: { containers: string[]; networks: string[]; volumes: string[] };
  failed: { kind: string; name: string; error: string }[];
  remaining: number;
}

export interface RunReport {
  runId: string;
  project: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Epoch ms the services' createdMs/startedMs/readyMs count from (checks carry epoch ms). */
  environmentStartedAt?: number;
  services: ServiceTiming[];
  summary: { total: number; passed: number; failed: number };
  checks: ReportCheck[];
  /** Absent when the environment was kept or attached (nothing was removed). */
  teardown?: TeardownSummary;
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
  environmentStartedAt?: number;
  teardown?: TeardownSummary;
  /** The log lines to attach to a check (failures only). */
  logsFor?: (result: CheckResult) => CorrelatedLine[] | undefined;
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
    ...(input.environmentStartedAt !== undefined ? { environmentStartedAt: input.environmentStartedAt } : {}),
    checks: input.results.map((r) => {
      const { samplesMs: _samples, ...rest } = r;
      const logs = input.logsFor?.(r);
      return logs ? { ...rest, logs } : rest;
    }),
    ...(input.teardown ? { teardown: input.teardown } : {}),
    ...(input.error ? { error: input.error } : {}),
  };
}
