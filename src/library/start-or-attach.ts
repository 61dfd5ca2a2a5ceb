// What `run()` and the port inventory share before the engine: either a start prepared from the
// compose files, or the run id of an environment that is up (then no compose file is read).
import { UsageError } from '../errors.js';
import { checkRunId } from '../orchestrator/lifecycle/run-id.js';
import { prepareUp, type PreparedUp, type UpOptions } from './prepare.js';

export interface StartOrAttach {
  runId: string;
  up?: PreparedUp;
  /** The image the user named (option or ENVTEST_SIDECAR_IMAGE); undefined: the default. */
  sidecarImage?: string;
}

export async function prepareStartOrAttach(options: UpOptions & { attach?: string; keep?: boolean }): Promise<StartOrAttach> {
  if (options.attach === undefined) {
    const up = await prepareUp(options);
    return { runId: up.runId, up, sidecarImage: up.sidecarImage };
  }
  checkRunId(options.attach);
  // An attached environment keeps the files, run id and lifetime it was started with.
  const conflicts = [options.files?.length && 'files', options.runId !== undefined && 'runId', options.keep && 'keep'].filter(Boolean);
  if (conflicts.length) throw new UsageError(`attach ${options.attach} works on an environment that is already up; ${conflicts.join(', ')} cannot go with it`);
  return { runId: options.attach, sidecarImage: options.sidecarImage ?? process.env.ENVTEST_SIDECAR_IMAGE };
}
