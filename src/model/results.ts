// What the sidecar's runner streams back (one JSON line per event) and what reports are built from.
// Shared by the sidecar (producer) and artifacts/orchestrator (consumers), so it lives in the model.
import type { ProbeResult } from './ports.js';
import type { Transaction } from './transaction.js';

export type CheckStatus = 'passed' | 'failed';

export interface LatencySummary {
  min?: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
}

export interface CheckResult {
  suite: string;
  name: string;
  target: string;
  protocol: string;
  status: CheckStatus;
  attempts: number;
  durationMs: number;
  /** Why it failed (expected vs got), or a short note on success. */
  message: string;
  latency?: LatencySummary;
  /** Per-sample latencies in ms, for metrics.json. */
  samplesMs?: number[];
  /** Epoch ms of the first attempt's start and of the result. */
  startedAt?: number;
  finishedAt?: number;
  /** Ids of this check's transactions (attempts and samples), in order; see transactions.ndjson. */
  transactions?: string[];
  /** The transaction that failed the check, for finding the logs around it. */
  failure?: FailedTransaction;
  /** From the runner, for a check with a snapshot: the shape of the passing answer (path → type). */
  shape?: Record<string, string>;
  /** Set by the host once the shape was compared with the snapshot file. */
  snapshot?: SnapshotOutcome;
}

/**
 * matched: same shape as recorded. recorded: there was none, now there is. updated: differed and
 * `-u` accepted it. changed: differs (fails the check). missing: none recorded and in CI (fails).
 */
export type SnapshotStatus = 'matched' | 'recorded' | 'updated' | 'changed' | 'missing';

export interface SnapshotOutcome {
  status: SnapshotStatus;
  /** The snapshot file, as a path relative to where envtest ran when it lies below it. */
  file: string;
  /** One line per difference, e.g. `$.items[].name: missing (was string)`. */
  changes?: string[];
}

export interface FailedTransaction {
  id: string;
  traceId?: string;
  startedAt: number;
  endedAt: number;
}

/** Lines on the runner's stdout. Anything that does not parse as one is runner noise. */
export type RunnerEvent =
  | { type: 'start'; suite: string; name: string; target: string; protocol: string }
  | ({ type: 'result' } & CheckResult)
  | ({ type: 'probe' } & ProbeResult)
  | ({ type: 'transaction' } & Transaction)
  | { type: 'done'; passed: number; failed: number }
  | { type: 'fatal'; message: string };

export type RunStatus = 'passed' | 'failed' | 'error';
