// One check from first attempt to result: retry until it passes, then sample latency if asked.
import { randomUUID } from 'node:crypto';
import { formatDuration } from '../model/duration.js';
import type { CheckResult } from '../model/results.js';
import type { Check } from '../model/suite.js';
import type { Clock } from './clock.js';
import { withDeadline } from './deadline.js';
import { latencyNote, latencyViolation } from './latency.js';
import { probeClosed } from './net/probe.js';
import { summarize } from './percentiles.js';
import { redact, secretsOf } from './redact.js';
import { retryUntilPass } from './retry.js';
import type { AttemptOutcome, ProtocolRegistry } from './types.js';

export interface RunCheckDeps {
  protocols: ProtocolRegistry;
  clock: Clock;
}

type TimedOutcome = AttemptOutcome & { elapsedMs: number };

function attemptOnce(check: Check, deps: RunCheckDeps): Promise<TimedOutcome> {
  const start = deps.clock.now();
  return withDeadline(check.timeoutMs, (signal) => {
    const ctx = { signal, timeoutMs: check.timeoutMs, nonce: randomUUID() };
    if (!check.expect.open) return probeClosed(check.host, check.port, signal);
    // The registry's mapped type guarantees protocols[check.protocol] takes this check's shape.
    const protocol = deps.protocols[check.protocol] as { attempt(c: Check, x: typeof ctx): Promise<AttemptOutcome> };
    return protocol.attempt(check, ctx);
  }).then((o) => ({ ...o, elapsedMs: o.ok && o.latencyMs !== undefined ? o.latencyMs : deps.clock.now() - start }));
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
async function sample(check: Check, deps: RunCheckDeps): Promise<{ samplesMs: number[]; failure?: string }> {
  const samplesMs: number[] = [];
  for (let i = 1; i <= check.samples; i++) {
    const o = await attemptOnce(check, deps);
    if (!o.ok) return { samplesMs, failure: `sample ${i}/${check.samples} failed: ${failureMessage(check, o)}` };
    samplesMs.push(Math.round(o.elapsedMs * 1000) / 1000);
  }
  return { samplesMs };
}

export async function runCheck(suite: string, check: Check, deps: RunCheckDeps): Promise<CheckResult> {
  const started = deps.clock.now();
  const base = { suite, name: check.name, target: check.target, protocol: check.protocol };
  const secrets = secretsOf(check);
  const finish = (status: CheckResult['status'], message: string, attempts: number, extra: Partial<CheckResult> = {}): CheckResult => ({
    ...base,
    status,
    attempts,
    durationMs: Math.round(deps.clock.now() - started),
    message: redact(message, secrets),
    ...extra,
  });

  // A negative check passes on its first "closed" observation: closed now is the claim being tested,
  // and waiting out the window would only slow every run. An open port is retried in case it is
  // on its way down, and fails when the window closes.
  const { last, attempts } = await retryUntilPass(() => attemptOnce(check, deps), check.retry, deps.clock);
  if (!last.ok) return finish('failed', failureMessage(check, last), attempts);
  if (check.samples === 0) return finish('passed', last.note ?? 'passed', attempts);

  const { samplesMs, failure } = await sample(check, deps);
  if (failure) return finish('failed', failure, attempts, { samplesMs });
  const latency = summarize(samplesMs);
  const violation = latencyViolation(check.latency, latency);
  return finish(violation ? 'failed' : 'passed', violation ?? latencyNote(latency), attempts, { latency, samplesMs });
}
