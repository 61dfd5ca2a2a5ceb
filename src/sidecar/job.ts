// Reads the job the orchestrator sends on the runner's stdin. It was produced by our own loader,
// so this only guards against a wrong input or a version mismatch; it does not re-validate suites.
import type { Readable } from 'node:stream';
import { JOB_LINE_PREFIX } from '../model/job-line.js';
import type { ProbeJob } from '../model/ports.js';
import { DEFAULT_CONCURRENCY, type RunnerJob } from '../model/suite.js';

/**
 * The runner starts while the stack comes up, before its job exists; the job comes as one line on
 * stdin once the stack is ready. A write on a stream the orchestrator already holds open reaches
 * the runner at once, where copying a file into a running container took 60 ms of every run.
 * Stdin ending first means nobody will send one (the orchestrator is gone).
 */
export async function readJob(input: Readable): Promise<RunnerJob | ProbeJob> {
  let text = '';
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    text += chunk;
    const line = jobIn(text);
    if (line !== undefined) return parseJob(line);
  }
  // The last line may lack its newline when stdin ends right after it.
  const line = jobIn(`${text}\n`);
  if (line === undefined) throw new Error('stdin closed before a job came');
  return parseJob(line);
}

/** The first whole line that carries the job, without its prefix. */
function jobIn(text: string): string | undefined {
  const lines = text.split('\n');
  lines.pop(); // not yet a whole line
  return lines.find((l) => l.startsWith(JOB_LINE_PREFIX))?.slice(JOB_LINE_PREFIX.length);
}

function parseJob(text: string): RunnerJob | ProbeJob {
  const source = 'the job on stdin';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes the text around the error, and this text holds passwords.
    if (err instanceof SyntaxError) throw new Error(`${source} is not valid JSON`);
    throw err;
  }
  const probe = raw as Partial<ProbeJob> | null;
  if (probe?.kind === 'probe') {
    if (!Array.isArray(probe.targets)) throw new Error(`${source} is not a probe job: expected { kind: probe, targets: [...] }`);
    return { kind: 'probe', targets: probe.targets, timeoutMs: Number(probe.timeoutMs) > 0 ? Number(probe.timeoutMs) : 2000 };
  }
  const job = raw as Partial<RunnerJob> | null;
  if (!job || !Array.isArray(job.suites) || !job.suites.every((s) => s && Array.isArray(s.checks))) {
    throw new Error(`${source} is not a runner job: expected { suites: [{ checks: [...] }], concurrency }`);
  }
  const concurrency = Number.isInteger(job.concurrency) && job.concurrency! > 0 ? job.concurrency! : DEFAULT_CONCURRENCY;
  return { suites: job.suites, concurrency };
}
