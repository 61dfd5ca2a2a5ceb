// Reads the job the orchestrator copied in. It was produced by our own loader, so this only guards
// against a wrong file or a version mismatch; it does not re-validate suites.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { JOB_READY_SUFFIX } from '../model/job-file.js';
import type { ProbeJob } from '../model/ports.js';
import { DEFAULT_CONCURRENCY, type RunnerJob } from '../model/suite.js';

/** How often the waiting runner looks for its job: a stat every few ms costs nothing next to a check. */
const JOB_POLL_MS = 5;

/**
 * The runner is started while the stack comes up, before its job exists; the marker arrives after
 * the job. Polled, not watched: files copied in through the engine raise no inotify event inside.
 */
export async function waitForJob(path: string): Promise<void> {
  while (!existsSync(`${path}${JOB_READY_SUFFIX}`)) await sleep(JOB_POLL_MS);
}

export async function readJob(path: string): Promise<RunnerJob | ProbeJob> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    // JSON.parse quotes the text around the error, and this file holds passwords.
    if (err instanceof SyntaxError) throw new Error(`${path} is not valid JSON`);
    throw err;
  }
  const probe = raw as Partial<ProbeJob> | null;
  if (probe?.kind === 'probe') {
    if (!Array.isArray(probe.targets)) throw new Error(`${path} is not a probe job: expected { kind: probe, targets: [...] }`);
    return { kind: 'probe', targets: probe.targets, timeoutMs: Number(probe.timeoutMs) > 0 ? Number(probe.timeoutMs) : 2000 };
  }
  const job = raw as Partial<RunnerJob> | null;
  if (!job || !Array.isArray(job.suites) || !job.suites.every((s) => s && Array.isArray(s.checks))) {
    throw new Error(`${path} is not a runner job: expected { suites: [{ checks: [...] }], concurrency }`);
  }
  const concurrency = Number.isInteger(job.concurrency) && job.concurrency! > 0 ? job.concurrency! : DEFAULT_CONCURRENCY;
  return { suites: job.suites, concurrency };
}
