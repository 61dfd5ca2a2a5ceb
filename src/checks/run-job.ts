// Every check of every suite, at most `concurrency` at a time, reporting as it goes.
import type { RunnerEvent } from '../model/results.js';
import { DEFAULT_CONCURRENCY, type Check, type RunnerJob } from '../model/suite.js';
import { forEachBounded } from './pool.js';
import { redact, secretsOf } from './redact.js';
import { runCheck, type RunCheckDeps } from './run-check.js';

export async function runJob(job: RunnerJob, deps: RunCheckDeps, emit: (e: RunnerEvent) => void): Promise<void> {
  const work: { suite: string; check: Check; index: number }[] = job.suites
    .flatMap((s) => s.checks.map((check) => ({ suite: s.name, check })))
    .map((w, i) => ({ ...w, index: i + 1 }));
  const withTransactions: RunCheckDeps = { ...deps, onTransaction: (tx) => emit({ type: 'transaction', ...tx }) };
  let passed = 0;
  let failed = 0;
  await forEachBounded(work, job.concurrency || DEFAULT_CONCURRENCY, async ({ suite, check, index }) => {
    emit({ type: 'start', suite, name: check.name, target: check.target, protocol: check.protocol });
    const result = await runCheck(suite, check, withTransactions, index).catch(
      // A bug in one protocol must not take the other checks' results with it.
      (err: unknown) => ({
        suite,
        name: check.name,
        target: check.target,
        protocol: check.protocol,
        status: 'failed' as const,
        attempts: 0,
        durationMs: 0,
        message: redact(`runner error: ${err instanceof Error ? err.message : String(err)}`, secretsOf(check)),
      }),
    );
    if (result.status === 'passed') passed++;
    else failed++;
    emit({ type: 'result', ...result });
  });
  emit({ type: 'done', passed, failed });
}
