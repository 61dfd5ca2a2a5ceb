// Two ways to run a service's health check once, as the engine runs it (the container's user,
// environment and working directory; stdin closed), each bounded by the check's timeout. A run that
// outlives the timeout fails, and the next begins only once it has ended: exec cannot kill it, and
// runs piling up in a struggling container would only slow it.
//
// - A session: one `exec` of a small sh loop that runs the check each time envtest writes a line and
//   answers with its exit code. Each run then costs the check's own process, not an exec (create,
//   runc, attach, inspect: tens of ms of the engine's CPU each), so it can run often while the
//   machine is idle without loading it.
// - One exec per run, where the image has no /bin/sh to run the loop.
import type { Backend, ExecSession } from '../../runtime/backend.js';
import { abortable } from '../../timing/abortable.js';

export type Outcome = 'passed' | 'failed' | 'unavailable' | 'aborted';

export interface CheckRuns {
  /** One run of the check; resolves once it has ended (or the signal aborted). */
  run(): Promise<Outcome>;
  /** Ends the runs: the session's shell sees its stdin close and exits. */
  close(): void;
}

/** The first line the loop prints: what proves the shell started (an image without one never says it). */
const HELLO = 'envtest-probe';
/** Runs "$@" (the check) once per line read, printing its exit code; ends when stdin does. */
export const SESSION_SCRIPT = `echo ${HELLO}; while read -r _; do "$@" </dev/null >/dev/null 2>&1; echo "$?"; done`;

/**
 * Opens a session in the container: resolves the runs once the loop answers, `'no shell'` when the
 * engine ran the exec but the loop never started (no /bin/sh in the image), `'unavailable'` when the
 * engine refused the exec (the container is gone or stopped, or the backend cannot exec).
 */
export async function openSession(
  runtime: Backend,
  containerId: string,
  command: string[],
  timeoutMs: number,
  signal: AbortSignal,
): Promise<CheckRuns | 'no shell' | 'unavailable' | 'aborted'> {
  const session = await startExec(runtime, containerId, ['/bin/sh', '-c', SESSION_SCRIPT, 'envtest-probe', ...command], signal);
  if (typeof session === 'string') return session;
  const lines = new LineQueue(session);
  const hello = await lines.next(signal);
  if (hello === HELLO) return new SessionRuns(session, lines, timeoutMs, signal);
  session.stdin.end();
  session.close();
  return hello === 'aborted' ? 'aborted' : 'no shell';
}

/** Runs the check by one exec each: for images without /bin/sh. */
export function execPerRun(runtime: Backend, containerId: string, command: string[], timeoutMs: number, signal: AbortSignal): CheckRuns {
  return {
    close: () => undefined,
    run: async () => {
      const session = await startExec(runtime, containerId, command, signal);
      if (typeof session === 'string') return session;
      session.stdin.end();
      session.stdout.resume();
      session.stderr.resume();
      try {
        return await bounded(
          session.exitCode.then(
            (code): Outcome => (code === 0 ? 'passed' : 'failed'),
            (): Outcome => 'failed',
          ),
          timeoutMs,
          signal,
        );
      } finally {
        if (signal.aborted) session.close();
      }
    },
  };
}

class SessionRuns implements CheckRuns {
  constructor(
    private readonly session: ExecSession,
    private readonly lines: LineQueue,
    private readonly timeoutMs: number,
    private readonly signal: AbortSignal,
  ) {}

  async run(): Promise<Outcome> {
    this.session.stdin.write('\n');
    const answer = this.lines.next(this.signal).then((line): Outcome => {
      if (line === 'aborted') return 'aborted';
      // The loop ended: the container stopped under it (its wait says so).
      if (line === 'ended') return 'unavailable';
      return line === '0' ? 'passed' : 'failed';
    });
    return bounded(answer, this.timeoutMs, this.signal);
  }

  close(): void {
    this.session.stdin.end();
    this.session.close();
  }
}

/** Starts an exec; a start that comes after the abort is closed unseen. */
async function startExec(runtime: Backend, containerId: string, command: string[], signal: AbortSignal): Promise<ExecSession | 'unavailable' | 'aborted'> {
  const starting = runtime.exec(containerId, { command });
  try {
    return await abortable(starting, signal);
  } catch {
    if (!signal.aborted) return 'unavailable';
    starting.then((late) => late.close(), () => undefined);
    return 'aborted';
  }
}

/**
 * The run's outcome, or 'failed' if it outlives `timeoutMs` (resolving only once it has ended), or
 * 'aborted' as soon as the signal aborts.
 */
async function bounded(outcome: Promise<Outcome>, timeoutMs: number, signal: AbortSignal): Promise<Outcome> {
  let onAbort!: () => void;
  const aborted = new Promise<Outcome>((resolve) => (onAbort = () => resolve('aborted')));
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), timeoutMs)));
  try {
    const first = await Promise.race([outcome, aborted, timedOut]);
    if (first !== 'timed out') return first;
    return await Promise.race([outcome.then((o): Outcome => (o === 'passed' ? 'failed' : o)), aborted]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** The session's stdout, line by line, in order; `ended` once it closes. */
class LineQueue {
  private readonly lines: string[] = [];
  private readonly waiters: ((line: string) => void)[] = [];
  private ended = false;
  private partial = '';

  constructor(session: ExecSession) {
    session.stderr.resume();
    session.stdout.setEncoding('utf8');
    session.stdout.on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop()!;
      for (const line of parts) this.push(line.trim());
    });
    const end = () => {
      this.ended = true;
      for (const wake of this.waiters.splice(0)) wake('ended');
    };
    session.stdout.on('end', end);
    session.stdout.on('close', end);
    session.stdout.on('error', end);
  }

  private push(line: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(line);
    else this.lines.push(line);
  }

  /** The next line, `ended` when there will be none, `aborted` if the signal aborts first. */
  next(signal: AbortSignal): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.resolve('ended');
    if (signal.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      const onAbort = () => {
        const at = this.waiters.indexOf(take);
        if (at >= 0) this.waiters.splice(at, 1);
        resolve('aborted');
      };
      const take = (l: string) => {
        signal.removeEventListener('abort', onAbort);
        resolve(l);
      };
      this.waiters.push(take);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
