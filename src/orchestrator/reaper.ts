// Starts the run's reaper (see src/reaper/main.ts) and holds its stdin. The connection is the
// heartbeat: nothing to send, and nothing to forget to send. Only `close()` or this process dying
// ends it, and the engine tells the reaper either way.
import { EnvironmentError } from '../errors.js';
import { containerLabels } from '../runtime/labels.js';
import type { ContainerRuntime, Labels } from '../runtime/runtime.js';
import { readBundle, tarArchive } from './bundles.js';
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

export async function startReaper(
  runtime: ContainerRuntime,
  runId: string,
  project: string,
  opts: ReaperOptions,
  { signal, labels }: { signal?: AbortSignal; labels?: Labels } = {},
): Promise<ReaperHandle> {
  if (!(await runtime.imageExists(opts.image))) await runtime.pullImage(opts.image, { signal });
  signal?.throwIfAborted();
  const id = await runtime.createContainer({
    name: `${project}-${runId}-envtest-reaper`,
    image: opts.image,
    labels: { ...labels, ...containerLabels(runId, project, 'reaper') },
    entrypoint: ['node'],
    command: ['/envtest/reaper.cjs'],
    env: { ENVTEST_RUN: runId, ENVTEST_REAPER_GRACE_MS: String(Math.min(opts.graceMs ?? 2000, 10_000)) },
    networks: [],
    networkMode: 'none',
    engineSocket: true,
    stdinOnce: true,
  });
  await runtime.putArchive(id, '/', await tarArchive({ 'envtest/reaper.cjs': readBundle('reaper.cjs') }));
  // Attach before start: with StdinOnce the engine closes stdin when this attachment ends.
  const attachment = await runtime.attachStdin(id);
  await runtime.startContainer(id);
  await watching(attachment.output, id);
  attachment.output.resume();
  return {
    containerId: id,
    // Removed before the connection closes: a reaper that saw its stdin end first would reap the run.
    remove: async () => {
      await runtime.removeContainer(id);
      attachment.close();
    },
    handOver: () => attachment.close(),
  };
}

/** The reaper says so once it holds its stdin; until then a SIGKILL would not be covered. */
async function watching(output: NodeJS.ReadableStream, id: string): Promise<void> {
  if (await awaitLine(output, (line) => line.includes('"watching"'))) return;
  throw new EnvironmentError(`the reaper (${id.slice(0, 12)}) did not start watching; run with --no-reaper where the engine socket cannot be mounted`);
}

/**
 * After this process's own teardown: a clean one makes the reaper redundant, so it is removed;
 * after a failed or incomplete one it is handed the run instead, and its own passes finish the job.
 */
export async function retireReaper(reaper: ReaperHandle, report: TeardownReport | undefined): Promise<void> {
  if (report && report.remaining === 0 && report.failed.length === 0) await reaper.remove().catch(() => reaper.handOver());
  else reaper.handOver();
}
