// `envtest logs` as a library call: the run's service logs, one callback per line with the
// service it came from, following until every followed container stops (or the signal aborts).
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ContainerRuntime, LogOptions } from '../runtime/runtime.js';
import { findRun, serviceOf } from './running-run.js';

export interface RunLogsOptions extends LogOptions {
  /** Default: every service of the run. */
  services?: string[];
  signal?: AbortSignal;
}

export interface LogLine {
  service: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Without `follow`, services come one after the other (sorted); with it, lines come as they arrive. */
export async function runLogs(runtime: ContainerRuntime, runId: string, opts: RunLogsOptions, onLine: (line: LogLine) => void): Promise<void> {
  const run = await findRun(runtime, runId);
  const names = opts.services?.length ? opts.services : [...run.services.keys()].sort();
  const containers = names.map((service) => ({ service, id: serviceOf(run, service).id }));
  const { services: _s, signal, ...logOptions } = opts;
  const pump = async (service: string, id: string) => {
    const { stdout, stderr } = await runtime.logs(id, logOptions);
    const stop = () => {
      stdout.destroy();
      stderr.destroy();
    };
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await Promise.all([lines(stdout, (text) => onLine({ service, stream: 'stdout', text })), lines(stderr, (text) => onLine({ service, stream: 'stderr', text }))]);
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  };
  if (opts.follow) await Promise.all(containers.map((c) => pump(c.service, c.id)));
  else for (const c of containers) await pump(c.service, c.id);
}

async function lines(stream: Readable, each: (text: string) => void): Promise<void> {
  await new Promise<void>((resolve) => {
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    reader.on('line', each);
    reader.on('close', resolve);
    stream.on('error', () => resolve());
  });
}
