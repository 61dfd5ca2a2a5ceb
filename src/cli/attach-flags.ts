// `--attach RUN_ID` works on an environment that is already up: flags that say how to start one
// (or keep it) would be silently ignored, so they are refused instead.
import { UsageError } from '../errors.js';
import { checkRunId } from '../library/runs.js';

interface AttachFlags {
  attach?: string;
  file?: string[];
  runId?: string;
  keep?: boolean;
}

export function refuseWithAttach(flags: AttachFlags): void {
  if (flags.attach === undefined) return;
  checkRunId(flags.attach);
  const conflicts = [flags.file?.length && '-f/--file', flags.runId !== undefined && '--run-id', flags.keep && '--keep'].filter(Boolean);
  if (conflicts.length) {
    throw new UsageError(`--attach ${flags.attach} works on an environment that is already up; ${conflicts.join(', ')} cannot go with it (the environment keeps the files and run id it was started with, and is never torn down)`);
  }
}
