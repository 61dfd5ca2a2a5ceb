// The checks of an environment that is up, as `envtest run` and the library's `env.check()` both do
// them: the port inventory's findings (with `ports`), then the suites from the sidecar, each result
// judged against its snapshot as it arrives.
import type { Logger } from 'pino';
import { ValidationError } from '../../errors.js';
import type { CheckResult, RunnerEvent } from '../../model/results.js';
import { DEFAULT_CONCURRENCY, type Suite } from '../../model/suite.js';
import type { Backend } from '../../runtime/backend.js';
import { SnapshotBook, type SnapshotMode } from '../../snapshot/book.js';
import { SnapshotFileError } from '../../snapshot/file.js';
import type { Redactor } from '../../text/redact.js';
import type { Environment } from '../lifecycle/environment.js';
import { takeInventory } from '../ports/inventory.js';
import { portCheckResults } from '../ports/port-checks.js';
import { runChecksInSidecar, type StartedSidecar } from './sidecar.js';

export interface EnvironmentChecks {
  runtime: Backend;
  env: Environment;
  suites: Suite[];
  concurrency?: number;
  sidecarImage?: string;
  /** A sidecar started beforehand, while the stack came up (see startSidecar). */
  started?: Promise<StartedSidecar>;
  /** Removing the sidecar is left to the caller: see SidecarOptions.leaveSidecar. */
  leaveSidecar?: boolean;
  /** Take the port inventory too: its findings become checks of the suite `ports`. */
  ports?: { strict: boolean };
  /** Opened with {@link openSnapshots}; results of checks with `snapshot` are judged against it. */
  snapshots?: SnapshotBook;
  /** Every runner event, results already judged (transactions included). */
  onEvent?: (event: RunnerEvent) => void;
  logger: Logger;
  signal?: AbortSignal;
}

/** Reads the snapshot files of the suites; a broken one is bad input (a ValidationError), found before anything starts. */
export async function openSnapshots(suites: Suite[], mode: Omit<SnapshotMode, 'redact'>, redactor: Redactor): Promise<SnapshotBook> {
  try {
    return await SnapshotBook.open(suites, { ...mode, redact: (shape) => redactor.redactDeep(shape) });
  } catch (e) {
    if (e instanceof SnapshotFileError) throw new ValidationError([{ message: e.message }], 'snapshot file');
    throw e;
  }
}

/**
 * Resolves with every result. Each part's results go into `results` as that part ends, so when the
 * sidecar fails the port findings taken before it still count.
 */
export async function checkEnvironment(opts: EnvironmentChecks, results: CheckResult[] = []): Promise<CheckResult[]> {
  const judge = (r: CheckResult) => (opts.snapshots ? opts.snapshots.judge(r) : r);
  if (opts.ports) results.push(...(await portChecks(opts, opts.ports.strict)));
  if (opts.suites.length) {
    const raw = await runChecksInSidecar({
      runtime: opts.runtime,
      env: opts.env,
      job: { suites: opts.suites, concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY },
      image: opts.sidecarImage,
      started: opts.started,
      leaveSidecar: opts.leaveSidecar,
      logger: opts.logger,
      onEvent: (e) => {
        if (e.type !== 'result') return opts.onEvent?.(e);
        const { type, ...result } = e;
        opts.onEvent?.({ type, ...judge(result) });
      },
      signal: opts.signal,
    });
    results.push(...raw.map(judge));
  }
  return results;
}

async function portChecks(opts: EnvironmentChecks, strict: boolean): Promise<CheckResult[]> {
  const started = Date.now();
  const inventory = await takeInventory({ runtime: opts.runtime, env: opts.env, sidecarImage: opts.sidecarImage, logger: opts.logger, signal: opts.signal });
  const results = portCheckResults(inventory, strict, Date.now() - started);
  for (const r of results) opts.onEvent?.({ type: 'result', ...r });
  return results;
}
