// `envtest logs` as a library call: the run's service logs, one callback per line with the
// service it came from, following until every followed container stops (or the signal aborts).
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Backend, LogOptions } from '../runtime/backend.js';
import { LABEL } from '../runtime/labels.js';
import { findRun, serviceOf } from './running-run.js';

export interface RunLogsOptions extends LogOptions {
  /** Default: every service of the run. */
  services?: string[];
  signal?: AbortSignal;
}

export interface LogLine {
  service: string;
  /** Which container of a scaled service (from 1); absent for a service with one. */
  replica?: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Without `follow`, services come one after the other (sorted); with it, lines come as they arrive. */
export async function runLogs(runtime: Backend, runId: string, opts: RunLogsOptions, onLine: (line: LogLine) => void): Promise<void> {
  const run = await findRun(runtime, runId);
  const names = opts.services?.length ? opts.services : [...run.services.keys()].sort();
  const containers = names.flatMap((service) => {
    serviceOf(run, service);
    const all = run.replicas.get(service)!;
    return all.map((c, i) => ({ service, id: c.id, replica: all.length > 1 ? Number(c.labels[LABEL.replica] ?? i + 1) : undefined }));
  });
  const { services: _s, signal, ...logOptions } = opts;
  const pump = async (service: string, id: string, replica?: number) => {
    const line = (stream: LogLine['stream']) => (text: string) => onLine({ service, ...(replica === undefined ? {} : { replica }), stream, text });
    const { stdout, stderr } = await runtime.logs(id, logOptions);
    const stop = () => {
      stdout.destroy();
      stderr.destroy();
    };
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await Promise.all([lines(stdout, line('stdout')), lines(stderr, line('stderr'))]);
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  };
  if (opts.follow) await Promise.all(containers.map((c) => pump(c.service, c.id, c.replica)));
  else for (const c of containers) await pump(c.service, c.id, c.replica);
}

async function lines(stream: Readable, each: (text: string) => void): Promise<void> {
  await new Promise<void>((resolve) => {
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    reader.on('line', each);
    reader.on('close', resolve);
    stream.on('error', () => resolve());
  });
}
