// Runs the check runner in a sidecar container on the run's networks: the only vantage point from
// which `service:port` means what it means to the services themselves. The runner is one bundled
// file copied in through the engine API (no bind mount), so remote engines work too; its job goes
// down the stdin this process holds.
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { EnvironmentError } from '../../errors.js';
import type { CheckResult, RunnerEvent } from '../../model/results.js';
import { jobLine } from '../../model/job-line.js';
import type { ProbeJob } from '../../model/ports.js';
import type { RunnerJob } from '../../model/suite.js';
import { containerLabels } from '../../runtime/labels.js';
import type { Backend, Job } from '../../runtime/backend.js';
import { abortable } from '../../timing/abortable.js';
import { readBundle } from '../images/bundles.js';
import type { Environment } from '../lifecycle/environment.js';
import { resolveSidecarImage } from '../images/sidecar-image.js';

export { DEFAULT_SIDECAR_IMAGE, resolveSidecarImage } from '../images/sidecar-image.js';

/** Where a sidecar goes: the run it belongs to and the networks it joins. */
export interface SidecarPlace {
  runId: string;
  project: string;
  networks: string[];
}

/** A sidecar whose runner has started and waits for its job on stdin, which this process holds. */
export interface StartedSidecar {
  id: string;
  image: string;
  job: Job;
}

export interface SidecarOptions {
  runtime: Backend;
  env: Environment;
  /** Suites to check, or ports to probe (their results arrive only as events). */
  job: RunnerJob | ProbeJob;
  image?: string;
  logger: Logger;
  onEvent: (event: RunnerEvent) => void;
  signal?: AbortSignal;
  /** A sidecar started beforehand (startSidecar), while the stack came up; else one is started here. */
  started?: Promise<StartedSidecar>;
  /** The caller removes the sidecar (the run's teardown, which removes everything labelled with the run, is next). */
  leaveSidecar?: boolean;
}

/**
 * Creates the sidecar, copies the runner in and starts it: the runner loads, then waits for its
 * job (runChecksInSidecar). Done while the stack starts, none of this is left for after it.
 */
export async function startSidecar(runtime: Backend, place: SidecarPlace, requestedImage: string | undefined, signal?: AbortSignal): Promise<StartedSidecar> {
  signal?.throwIfAborted();
  const image = await resolveSidecarImage(runtime, requestedImage);
  if (!(await runtime.imageExists(image))) await runtime.pullImage(image, { signal });
  signal?.throwIfAborted();
  const job = await runtime.startJob(
    {
      // Unique per call: several `run --attach` may check one environment at the same time.
      name: `${place.project}-${place.runId}-envtest-sidecar-${randomBytes(2).toString('hex')}`,
      image,
      labels: containerLabels(place.runId, place.project, 'sidecar'),
      entrypoint: ['node'],
      command: ['/envtest/runner.cjs'],
      networks: place.networks,
      // The job goes down this stream the moment the stack is ready: no engine call between the
      // two (a copy into the running container took 60 ms).
      holdStdin: true,
    },
    { files: [{ path: '/envtest/runner.cjs', content: readBundle('sidecar-runner.cjs') }], signal },
  );
  return { id: job.id, image, job };
}

export async function runChecksInSidecar(opts: SidecarOptions): Promise<CheckResult[]> {
  const { runtime, env, logger } = opts;
  opts.signal?.throwIfAborted();
  const place = { runId: env.runId, project: env.project.name, networks: Object.values(env.networks) };
  const { job, image } = await (opts.started ?? startSidecar(runtime, place, opts.image, opts.signal));
  try {
    opts.signal?.throwIfAborted();
    if (!job.held) throw new Error(`the ${runtime.name} backend did not hold the sidecar's stdin`);
    // Read through the logs (stdout and stderr apart, from the start); the attached copy is not needed.
    job.held.output.resume();
    job.held.send(jobLine(opts.job));
    return await collectResults(opts, job, image);
  } finally {
    // An attached environment outlives this run, so the sidecar cannot wait for the run's teardown.
    if (opts.leaveSidecar) job.held?.close();
    else await releaseSidecar(job, (e) => logger.warn({ err: e }, 'could not remove the sidecar'));
  }
}

/**
 * Lets go of the sidecar: its held stdin first (a runner still waiting for its job ends; one that
 * read it is unaffected), then its container. A held stdin left open keeps a library caller's
 * event loop alive.
 */
export async function releaseSidecar(job: Job, onRemoveError: (e: unknown) => void = () => undefined): Promise<void> {
  job.held?.close();
  await job.remove().catch(onRemoveError);
}

/**
 * Streams the runner's JSON lines into events until its `done` (or it exits); a runner crash is an
 * environment error. `done` is the runner's last word, after every result: its exit (the process
 * ending, then the engine telling, 80–170 ms on a busy engine) is not waited for, the sidecar goes
 * with the teardown, or in runChecksInSidecar's finally.
 */
async function collectResults(opts: SidecarOptions, job: Job, image: string): Promise<CheckResult[]> {
  const { logger } = opts;
  const results: CheckResult[] = [];
  let finished = false;
  let fatal: string | undefined;
  const stderrTail: string[] = [];
  let sawDone = () => undefined as void;
  const done = new Promise<void>((resolve) => (sawDone = resolve));
  const { stdout, stderr } = await job.output({ follow: true });
  const out = createInterface({ input: stdout, crlfDelay: Infinity });
  const err = createInterface({ input: stderr, crlfDelay: Infinity });
  const readOut = (async () => {
    for await (const line of out) {
      const event = parseEvent(line);
      if (!event) {
        if (line.trim()) logger.debug({ runner: line }, 'runner output');
        continue;
      }
      if (event.type === 'result') results.push(stripType(event));
      if (event.type === 'fatal') fatal = event.message;
      try {
        opts.onEvent(event);
      } catch (e) {
        // A reporter bug must not become an unhandled rejection that loses every other result.
        logger.error({ err: e }, 'progress listener failed');
      }
      if (event.type === 'done') {
        finished = true;
        sawDone();
      }
    }
  })();
  const readErr = (async () => {
    for await (const line of err) {
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
    }
  })();

  const waiting = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, waiting.signal]) : waiting.signal;
  const exited = job.exited({ signal });
  exited.catch(() => undefined); // not awaited once `done` came first
  // Closing the readers ends their loops; destroying the streams alone would leave them waiting.
  const stopReading = () => {
    out.close();
    err.close();
    stdout.destroy();
    stderr.destroy();
  };
  const reading = Promise.all([readOut, readErr]);
  reading.catch(() => undefined); // a stream that errors as the sidecar goes, after an abort: nobody reads on
  try {
    const exitCode = await abortable(Promise.race([exited, done.then(() => 0)]), opts.signal);
    if (finished) stopReading();
    await reading;
    if (fatal || exitCode !== 0 || !finished) {
      const why = fatal ?? (stderrTail.join('\n').trim() || `exited with code ${exitCode}`);
      throw new EnvironmentError(`the check runner in the sidecar (${image}) failed: ${why}`, { service: 'sidecar', lastLogs: stderrTail });
    }
    return results;
  } finally {
    waiting.abort();
    stopReading();
  }
}

function parseEvent(line: string): RunnerEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as RunnerEvent;
    return typeof value?.type === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function stripType(event: Extract<RunnerEvent, { type: 'result' }>): CheckResult {
  const { type: _type, ...result } = event;
  return result;
}
