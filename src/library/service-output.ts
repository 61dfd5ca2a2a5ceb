// A service's output and commands run in it, for tests that want to look inside a service.
import type { Readable } from 'node:stream';
import { EnvironmentError, UsageError } from '../errors.js';
import type { Backend } from '../runtime/backend.js';

/** Options of `env.logs()`. */
export interface LogOptions {
  /** Only the last this many lines. */
  tail?: number;
  /** Which stream: both (default), interleaved by the time the engine read each line. */
  stream?: 'stdout' | 'stderr' | 'both';
}

/** Options of `env.exec()`, as `docker compose exec -e/-u/-w`. */
export interface ExecOptions {
  env?: Record<string, string>;
  user?: string;
  workingDir?: string;
}

/** What a command run with `env.exec()` did. */
export interface ExecOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

// The engine prefixes each line with an RFC 3339 timestamp when asked: the only way to put the two
// streams back in the order they were written.
const STAMPED = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (.*)$/;

export async function logLines(runtime: Backend, containerId: string, opts: LogOptions): Promise<string[]> {
  if (opts.tail !== undefined && (!Number.isInteger(opts.tail) || opts.tail < 0)) throw new UsageError(`tail takes a whole number >= 0, not ${opts.tail}`);
  const { stdout, stderr } = await runtime.logs(containerId, { follow: false, tail: opts.tail, timestamps: true });
  const [out, err] = await Promise.all([stampedLines(stdout), stampedLines(stderr)]);
  const wanted = opts.stream === 'stdout' ? out : opts.stream === 'stderr' ? err : [...out, ...err];
  // Stable sort: lines with one timestamp keep their order within a stream.
  const merged = wanted.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((l) => l.text);
  // With both streams, `tail` counted per stream: keep the last `tail` of the merged whole.
  return opts.tail !== undefined ? merged.slice(merged.length - opts.tail) : merged;
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function stampedLines(stream: Readable): Promise<{ at: string; text: string }[]> {
  const lines = (await text(stream)).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => {
    const m = STAMPED.exec(line.replace(/\r$/, ''));
    return m ? { at: sortable(m[1]!), text: m[2]! } : { at: '', text: line };
  });
}

/** RFC3339Nano drops trailing zeros (`.5Z`, `.123456789Z`): padded, the strings sort as times. */
function sortable(stamp: string): string {
  const [whole, fraction = ''] = stamp.slice(0, -1).split('.');
  return `${whole}.${fraction.padEnd(9, '0')}`;
}

export async function execIn(runtime: Backend, containerId: string, service: string, command: string[], opts: ExecOptions): Promise<ExecOutput> {
  if (command.length === 0) throw new UsageError('exec() needs a command, e.g. ["psql", "-c", "select 1"]');
  const state = await runtime.serviceState(containerId);
  if (state.status !== 'running') throw new EnvironmentError(`cannot exec in ${service}: its container is ${state.status} (exit code ${state.exitCode})`, { service });
  const session = await runtime.exec(containerId, { command, env: opts.env, user: opts.user, workingDir: opts.workingDir });
  // No input: the command sees its stdin closed at once, as with `docker exec` without -i.
  session.stdin.end();
  const [stdout, stderr] = await Promise.all([text(session.stdout), text(session.stderr)]);
  return { exitCode: await session.exitCode, stdout, stderr };
}
