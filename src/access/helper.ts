// A helper container on every network of a running run: where `forward` relays connections and
// `shell` opens a shell, seeing the services by name as they see each other.
//
// It must never outlive the envtest command that made it, even a SIGKILLed one. Like the reaper,
// its main process only reads its attached stdin (StdinOnce): when envtest goes away for whatever
// reason, the engine closes that stdin, `cat` ends, the container exits and AutoRemove deletes it.
// A clean close removes it at once instead.
import { randomBytes } from 'node:crypto';
import { EnvironmentError } from '../errors.js';
import { abortable } from '../timing/abortable.js';
import { awaitLine } from '../orchestrator/cleanup/first-line.js';
import { resolveSidecarImage } from '../orchestrator/images/sidecar-image.js';
import { containerLabels } from '../runtime/labels.js';
import type { Backend, ExecSession, ExecSpec } from '../runtime/backend.js';
import { findRun, type RunningRun } from './running-run.js';

const READY = 'envtest-helper-watching';

export interface HelperOptions {
  /** Default: the sidecar image (ENVTEST_SIDECAR_IMAGE, envtest/sidecar:latest, node:20-slim). */
  image?: string;
  signal?: AbortSignal;
}

export interface Helper {
  containerId: string;
  image: string;
  run: RunningRun;
  exec(spec: ExecSpec): Promise<ExecSession>;
  /** Settles when the helper is gone: closed here, or removed under us (the run was torn down). */
  gone: Promise<void>;
  /** Removes the helper. Safe to call more than once. */
  close(): Promise<void>;
}

export async function startHelper(runtime: Backend, runId: string, opts: HelperOptions = {}): Promise<Helper> {
  const run = await findRun(runtime, runId);
  const image = await resolveSidecarImage(runtime, opts.image ?? process.env.ENVTEST_SIDECAR_IMAGE);
  if (!(await runtime.imageExists(image))) await abortable(runtime.pullImage(image), opts.signal);
  opts.signal?.throwIfAborted();
  const spec = {
    name: `${run.project}-${runId}-envtest-helper-${randomBytes(3).toString('hex')}`,
    image,
    labels: containerLabels(runId, run.project, 'helper'),
    entrypoint: ['sh', '-c'],
    command: [`echo ${READY}; exec cat >/dev/null`],
    networks: run.networks,
    // Without a network of its own (a run of `network_mode` services only) there is nothing to reach.
    isolated: run.networks.length === 0,
    holdStdin: true,
    removeWhenDone: true,
  };
  const job = await runtime.startJob(spec, { signal: opts.signal });
  const attachment = job.held!;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await job.remove().catch(() => undefined);
      attachment.close();
    })());
  try {
    if (!(await awaitLine(attachment.output, (line) => line.includes(READY)))) {
      throw new EnvironmentError(`the helper container (${image}) did not start; it needs sh and cat (pick another with --image)`);
    }
  } catch (e) {
    await close();
    throw e;
  }
  const output = attachment.output;
  const gone = new Promise<void>((resolve) => {
    output.on('end', resolve);
    output.on('close', resolve);
    output.on('error', resolve);
  });
  output.resume();
  return { containerId: job.id, image, run, exec: (spec) => runtime.exec(job.id, spec), gone, close };
}
