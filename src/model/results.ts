// What the sidecar's runner streams back (one JSON line per event) and what reports are built from.
// Shared by the sidecar (producer) and artifacts/orchestrator (consumers), so it lives in the model.
import type { ProbeResult } from './ports.js';

export type CheckStatus = 'passed' | 'failed';

export interface LatencySummary {
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
}

/** Lines on the runner's stdout. Anything that does not parse as one is runner noise. */
export type RunnerEvent =
  | { type: 'start'; suite: string; name: string; target: string; protocol: string }
  | ({ type: 'result' } & CheckResult)
  | ({ type: 'probe' } & ProbeResult)
  | { type: 'done'; passed: number; failed: number }
  | { type: 'fatal'; message: string };

export type RunStatus = 'passed' | 'failed' | 'error';
