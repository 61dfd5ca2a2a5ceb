// Reads the job the orchestrator copied in. It was produced by our own loader, so this only guards
// against a wrong file or a version mismatch; it does not re-validate suites.
import { readFile } from 'node:fs/promises';
import { DEFAULT_CONCURRENCY, type RunnerJob } from '../model/suite.js';

export async function readJob(path: string): Promise<RunnerJob> {
  const raw: unknown = JSON.parse(await readFile(path, 'utf8'));
  const job = raw as Partial<RunnerJob> | null;
  if (!job || !Array.isArray(job.suites) || !job.suites.every((s) => s && Array.isArray(s.checks))) {
    throw new Error(`${path} is not a runner job: expected { suites: [{ checks: [...] }], concurrency }`);
  }
  const concurrency = Number.isInteger(job.concurrency) && job.concurrency! > 0 ? job.concurrency! : DEFAULT_CONCURRENCY;
  return { suites: job.suites, concurrency };
}
