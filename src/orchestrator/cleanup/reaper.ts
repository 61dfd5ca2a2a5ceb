// Starts the run's reaper (see src/reaper/main.ts) and holds its stdin. The connection is the
// heartbeat: nothing to send, and nothing to forget to send. Only `close()` or this process dying
// ends it, and the engine tells the reaper either way.
// The reaper mounts the engine's socket; where none of the places the runtime suggests reaches the
// engine from inside a container (a remote engine, a VM's socket), the run goes on without it and
// says which backstop is left.
import { randomBytes } from 'node:crypto';
import { EngineUnavailableError } from '../../errors.js';
import { NameConflictError } from '../../runtime/errors.js';
import { containerLabels, LABEL } from '../../runtime/labels.js';
import type { Backend, Job, JobSpec, Labels } from '../../runtime/backend.js';
import { readBundle } from '../images/bundles.js';
import { awaitLine } from './first-line.js';
import type { TeardownReport } from './teardown.js';

export interface ReaperOptions {
  image: string;
  /** How long the reaper waits after the connection drops (at most 10 s keeps SIGKILL cleanup fast). */
  graceMs?: number;
}

export interface ReaperHandle {
  containerId: string;
  /** Removes the reaper, then lets go of its stdin: nothing is reaped. */
  remove(): Promise<void>;
  /** Lets go of its stdin while it runs: after its grace it removes everything labelled with the run. */
  handOver(): void;
}

interface StartContext {
  signal?: AbortSignal;
  labels?: Labels;
  /**
   * Called once a reaper runs with its stdin attached, before it has said it is watching: from then
   * on this process dying is seen by it (it reads the end of its stdin even while it checks its
   * engine), so the run's resources may be made while it finishes starting.
   */
  onRunning?: () => void;
  /** Told when the run goes on without a reaper, and why. */
  warn?: (message: string) => void;
}

/** The reaper, watching; undefined (after a warning) when it cannot reach the engine from inside a container. */
export async function startReaper(runtime: Backend, runId: string, project: string, opts: ReaperOptions, ctx: StartContext = {}): Promise<ReaperHandle | undefined> {
  const { signal } = ctx;
  if (!(await runtime.imageExists(opts.image))) await runtime.pullImage(opts.image, { signal });
  const failures: string[] = [];
  for (const socket of runtime.engineSocketPaths()) {
    signal?.throwIfAborted();
    const started = await startWithSocket(runtime, runId, project, opts, ctx, socket);
    if (typeof started !== 'string') return started;
    failures.push(`through ${socket}: ${started}`);
  }
  ctx.warn?.(
    `no reaper guards run ${runId}: it could not reach the engine (${runtime.endpoint}) from inside a container (${failures.join('; ') || 'no socket to mount'}). ` +
      'If envtest is killed now, nothing removes the run until `envtest down --all --stale` runs (it removes runs whose envtest process is gone; CI jobs should run it last). ' +
      'Pass --no-reaper (or ENVTEST_REAPER=off) to skip trying.',
  );
  return undefined;
}

/** A taken name is a run id conflict, and a lost engine or an abort ends the start: the caller's, not one socket's or one network mode's. */
function endsTheStart(e: unknown, signal: AbortSignal | undefined): boolean {
  return e instanceof NameConflictError || e instanceof EngineUnavailableError || !!signal?.aborted;
}

/** The handle, or why the reaper did not get to watch through this socket. */
async function startWithSocket(runtime: Backend, runId: string, project: string, opts: ReaperOptions, ctx: StartContext, socket: string): Promise<ReaperHandle | string> {
  let job: Job | undefined;
  const self = randomBytes(8).toString('hex');
  try {
    const spec = (network: Pick<JobSpec, 'hostNetwork' | 'isolated'>): JobSpec => ({
      name: `${project}-${runId}-envtest-reaper`,
      image: opts.image,
      labels: { ...ctx.labels, ...containerLabels(runId, project, 'reaper'), [LABEL.reaperSelf]: self },
      entrypoint: ['node'],
      // A few kilobytes: passed on the command line, which saves copying a file in before the start.
      command: ['-e', readBundle('reaper.cjs').toString('utf8')],
      env: { ENVTEST_RUN: runId, ENVTEST_REAPER_GRACE_MS: String(Math.min(opts.graceMs ?? 2000, 10_000)), ENVTEST_REAPER_SELF: `${LABEL.reaperSelf}=${self}` },
      networks: [],
      ...network,
      engineSocket: socket,
      holdStdin: true,
    });
    // Every run waits for its reaper before making anything: a start without a network namespace
    // to make (80 ms, against 160–200 ms with none) is on every run's critical path. It needs no
    // network: it talks to the engine through the socket mounted in. An engine that refuses the
    // host's network (user namespaces remapped) gets the reaper without any.
    job = await runtime.startJob(spec({ hostNetwork: true }), { signal: ctx.signal }).catch((e: unknown) => {
      if (endsTheStart(e, ctx.signal)) throw e;
      return runtime.startJob(spec({ isolated: true }), { signal: ctx.signal });
    });
    const started = job;
    const held = job.held!;
    ctx.onRunning?.();
    const said = await firstWord(held.output);
    if (said.watching) {
      held.output.resume();
      return {
        containerId: started.id,
        // Removed before the connection closes: a reaper that saw its stdin end first would reap the run.
        remove: async () => {
          await started.remove();
          held.close();
        },
        handOver: () => held.close(),
      };
    }
    await discard(job);
    return said.unreachable ?? 'it did not say it was watching within 15 s';
  } catch (e) {
    if (job) await discard(job);
    // Anything else (the socket path missing on the engine's host) is this socket's failure.
    if (endsTheStart(e, ctx.signal)) throw e;
    return (e instanceof Error ? e.message : String(e)).trim();
  }
}

/** Removed before the connection closes: a reaper that saw its stdin end would reap the run. */
async function discard(job: Job): Promise<void> {
  await job.remove().catch(() => undefined);
  job.held?.close();
}

/** The reaper's first word: watching once it holds its stdin and has reached the engine, or why it could not. */
async function firstWord(output: NodeJS.ReadableStream): Promise<{ watching?: string; unreachable?: string }> {
  let said: { watching?: string; unreachable?: string } = {};
  await awaitLine(output, (line) => {
    try {
      const parsed = JSON.parse(line) as typeof said;
      if (parsed.watching || parsed.unreachable) said = parsed;
    } catch {
      // Not the reaper's JSON (a node warning): not its word.
    }
    return !!(said.watching || said.unreachable);
  });
  return said;
}

/**
 * After this process's own teardown: a clean one makes the reaper redundant, so it is removed;
 * after a failed or incomplete one it is handed the run instead, and its own passes finish the job.
 */
export async function retireReaper(reaper: ReaperHandle, report: TeardownReport | undefined): Promise<void> {
  if (report && report.remaining === 0 && report.failed.length === 0) await reaper.remove().catch(() => reaper.handOver());
  else reaper.handOver();
}
