// Reads the job the orchestrator copied in. It was produced by our own loader, so this only guards
// against a wrong file or a version mismatch; it does not re-validate suites.
import { readFile } from 'node:fs/promises';
import type { ProbeJob } from '../model/ports.js';
import { DEFAULT_CONCURRENCY, type RunnerJob } from '../model/suite.js';

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
