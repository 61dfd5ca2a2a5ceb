// One check from first attempt to result: retry until it passes, then sample latency if asked.
// Every attempt and sample is a transaction, handed to `onTransaction` as soon as it ends.
import { randomUUID } from 'node:crypto';
import { formatDuration } from '../model/duration.js';
import type { CheckResult, FailedTransaction } from '../model/results.js';
import type { Check } from '../model/suite.js';
import type { Transaction } from '../model/transaction.js';
import { Redactor } from '../text/redact.js';
import type { Clock } from './clock.js';
import { withDeadline } from './deadline.js';
import { latencyNote, latencyViolation } from './latency.js';
import { probeClosed } from './net/probe.js';
import { summarize } from './percentiles.js';
import { secretsOf } from './redact.js';
import { retryUntilPass } from './retry.js';
import { TransactionRecorder } from './transaction.js';
import type { AttemptOutcome, ProtocolRegistry } from './types.js';

export interface RunCheckDeps {
  protocols: ProtocolRegistry;
  clock: Clock;
  /** Called with each finished transaction, already redacted. */
  onTransaction?: (tx: Transaction) => void;
  /** Epoch ms, for transaction times (the clock measures durations). */
  wallClock?: () => number;
}

type TimedOutcome = AttemptOutcome & { elapsedMs: number; tx: Transaction };

interface Slot {
  index: number;
  attempt: number;
  sample: number;
}

class CheckRun {
  readonly ids: string[] = [];
  private readonly redactor: Redactor;

  constructor(
    readonly suite: string,
    readonly check: Check,
    readonly deps: RunCheckDeps,
    readonly index: number,
  ) {
    this.redactor = new Redactor(secretsOf(check));
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  async attempt(slot: Slot): Promise<TimedOutcome> {
    const { check, deps } = this;
    const record = new TransactionRecorder(deps.clock);
    const startedAt = (deps.wallClock ?? Date.now)();
    const outcome = await withDeadline(check.timeoutMs, (signal) => {
      const ctx = { signal, timeoutMs: check.timeoutMs, nonce: randomUUID(), record };
      if (!check.expect.open) return probeClosed(check.host, check.port, signal, record);
      // The registry's mapped type guarantees protocols[check.protocol] takes this check's shape.
      const protocol = deps.protocols[check.protocol] as { attempt(c: Check, x: typeof ctx): Promise<AttemptOutcome> };
      return protocol.attempt(check, ctx);
    });
    const total = record.elapsed();
    const elapsedMs = outcome.ok && outcome.latencyMs !== undefined ? outcome.latencyMs : total;
    const tx = this.redactor.redactDeep<Transaction>({
      id: `${slot.index}.${slot.attempt}.${slot.sample}`,
      suite: this.suite,
      check: check.name,
      target: check.target,
      kind: slot.sample === 0 ? 'attempt' : 'sample',
      attempt: slot.attempt,
      sample: slot.sample,
      ...(record.request?.protocol === 'http' ? { traceId: record.traceId } : {}),
      startedAt,
      endedAt: startedAt + Math.round(total),
      phases: { ...record.phases, total: roundTo(elapsedMs) },
      ok: outcome.ok,
      message: outcome.ok ? (outcome.note ?? 'passed') : outcome.message,
      ...(record.request ? { request: record.request } : {}),
      ...(record.response ? { response: record.response } : {}),
      ...(outcome.ok ? {} : { error: { ...(outcome.unreachable ? { code: outcome.unreachable } : {}), message: outcome.message } }),
    });
    this.ids.push(tx.id);
    deps.onTransaction?.(tx);
    return { ...outcome, elapsedMs, tx };
  }
}

function roundTo(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function failedTransaction(tx: Transaction): FailedTransaction {
  return { id: tx.id, ...(tx.traceId ? { traceId: tx.traceId } : {}), startedAt: tx.startedAt, endedAt: tx.endedAt };
}

function unreachableMessage(check: Check, code: string): string {
  const window = check.retry.forMs > 0 ? ` after ${formatDuration(check.retry.forMs)}` : '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${check.target}: host "${check.host}" not found${window} (${code})`;
  // Some clients (mysql2) time out the handshake with the same code as the connect, so "not open" would overclaim.
  if (code === 'ETIMEDOUT') return `${check.target} not answering${window} (${code})`;
  return `${check.target} not open${window} (${code})`;
}

function failureMessage(check: Check, last: AttemptOutcome & { ok: false }): string {
  if (!check.expect.open) {
    return check.retry.forMs > 0 ? `${last.message} (still open after ${formatDuration(check.retry.forMs)})` : last.message;
  }
  return last.unreachable ? unreachableMessage(check, last.unreachable) : last.message;
}

/** Samples run one after another: concurrent samples would measure their own contention. */
async function sample(run: CheckRun, attempt: number): Promise<{ samplesMs: number[]; failure?: string; failed?: Transaction }> {
  const { check } = run;
  const samplesMs: number[] = [];
  for (let i = 1; i <= check.samples; i++) {
    const o = await run.attempt({ index: run.index, attempt, sample: i });
    if (!o.ok) return { samplesMs, failure: `sample ${i}/${check.samples} failed: ${failureMessage(check, o)}`, failed: o.tx };
    samplesMs.push(roundTo(o.elapsedMs));
  }
  return { samplesMs };
}

/** `index` numbers the check within its job (1-based), for transaction ids. */
export async function runCheck(suite: string, check: Check, deps: RunCheckDeps, index = 1): Promise<CheckResult> {
  const wall = deps.wallClock ?? Date.now;
  const started = deps.clock.now();
  const startedAt = wall();
  const run = new CheckRun(suite, check, deps, index);
  const base = { suite, name: check.name, target: check.target, protocol: check.protocol };
  const finish = (status: CheckResult['status'], message: string, attempts: number, extra: Partial<CheckResult> = {}): CheckResult => ({
    ...base,
    status,
    attempts,
    durationMs: Math.round(deps.clock.now() - started),
    message: run.redact(message),
    startedAt,
    finishedAt: wall(),
    transactions: run.ids,
    ...extra,
  });

  // A negative check passes on its first "closed" observation: closed now is the claim being tested,
  // and waiting out the window would only slow every run. An open port is retried in case it is
  // on its way down, and fails when the window closes.
  let attempt = 0;
  let lastTx: Transaction | undefined;
  const { last, attempts } = await retryUntilPass(
    async () => {
      const o = await run.attempt({ index, attempt: ++attempt, sample: 0 });
      lastTx = o.tx;
      return o;
    },
    check.retry,
    deps.clock,
  );
  if (!last.ok) return finish('failed', failureMessage(check, last), attempts, lastTx ? { failure: failedTransaction(lastTx) } : {});
  // The host compares the first passing answer's shape with the snapshot; samples only measure.
  const shape = check.snapshot && last.shape ? { shape: last.shape } : {};
  if (check.samples === 0) return finish('passed', last.note ?? 'passed', attempts, shape);

  const { samplesMs, failure, failed } = await sample(run, attempts);
  if (failure) return finish('failed', failure, attempts, { samplesMs, ...(failed ? { failure: failedTransaction(failed) } : {}) });
  const latency = summarize(samplesMs);
  const violation = latencyViolation(check.latency, latency);
  return finish(violation ? 'failed' : 'passed', violation ?? latencyNote(latency), attempts, { latency, samplesMs, ...shape });
}
