// Removal by label, never by name: whatever a run made — including what a crashed earlier attempt
// made — is found and removed. Containers first (they hold volumes, and networks until they are cut
// off), then the rest, each group in parallel. Disposable containers are killed, not stopped, unless
// a grace is asked for.
import type { Logger } from 'pino';
import { LABEL } from '../../runtime/labels.js';
import { preStopWarning, runPreStop } from '../lifecycle/lifecycle-hooks.js';
import type { Backend, Labels, ResourceSummary } from '../../runtime/backend.js';

export interface TeardownReport {
  removed: { containers: string[]; networks: string[]; volumes: string[] };
  failed: { kind: 'container' | 'network' | 'volume'; name: string; error: string }[];
  /** pre_stop hooks that failed (lifecycle/lifecycle-hooks.ts): said, and teardown went on. */
  warnings?: string[];
  /** Resources still labelled for the selection after teardown (should be none). */
  remaining: number;
  ms: number;
}

export interface TeardownOptions {
  graceSeconds?: number;
  logger?: Logger;
  /** Leave this container for last (the reaper running the teardown itself). */
  exceptContainer?: string;
  /** Leave every reaper of the selection: a forced teardown must not remove the backstop behind it. */
  spareReapers?: boolean;
  /** What removing a container waits for (its last resource reading on its way), the others' removal not. */
  holdRemoval?: (containerId: string) => Promise<void>;
}

export async function teardown(runtime: Backend, selector: Labels, opts: TeardownOptions = {}): Promise<TeardownReport> {
  const started = Date.now();
  const report: TeardownReport = { removed: { containers: [], networks: [], volumes: [] }, failed: [], remaining: 0, ms: 0 };
  const found = await runtime.list(selector);

  const removeAll = async (kind: 'container' | 'network' | 'volume', items: ResourceSummary[], remove: (r: ResourceSummary) => Promise<void>) => {
    await Promise.all(
      items.map(async (item) => {
        try {
          await remove(item);
          report.removed[`${kind}s`].push(item.name);
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          report.failed.push({ kind, name: item.name, error });
          opts.logger?.warn({ kind, name: item.name, err: error }, 'teardown could not remove');
        }
      }),
    );
  };

  const spared = (c: ResourceSummary) => c.id === opts.exceptContainer || (opts.spareReapers === true && c.labels[LABEL.role] === 'reaper');
  const containers = found.containers.filter((c) => !spared(c));
  for (const hook of await runPreStop(runtime, containers)) {
    const warning = preStopWarning(hook);
    opts.logger?.[warning ? 'warn' : 'info']({ service: hook.service, hook: hook.hook, exitCode: hook.exitCode, output: hook.lines.map((l) => l.line) }, warning ?? 'pre_stop hook ran');
    if (warning) (report.warnings ??= []).push(warning);
  }
  // A network can go only once nothing is attached to it. Where the backend can cut a workload off
  // (killed, and detached without waiting for its exit), the networks go while the workloads are
  // being removed, not after them: about 50 ms of the example's 500. Never with a grace: a service
  // stopping gracefully still talks over its network.
  const cutOff = opts.graceSeconds ? undefined : runtime.cutOff?.bind(runtime);
  /** After any hold: whether the workload is off the run's networks before its removal starts. */
  const cutOffFirst = async (c: ResourceSummary): Promise<boolean> => {
    await opts.holdRemoval?.(c.id).catch(() => undefined);
    if (!cutOff) return false;
    try {
      await cutOff(c.id, found.networks);
      return true;
    } catch (e) {
      opts.logger?.debug({ name: c.name, err: e instanceof Error ? e.message : String(e) }, 'could not cut off; its networks wait for its removal');
      return false;
    }
  };
  const cut = new Map(containers.map((c) => [c.id, cutOffFirst(c)]));
  // Only after the cut-off: an engine refuses to detach what it is removing.
  const removals = new Map(containers.map((c) => [c.id, cut.get(c.id)!.then(() => runtime.removeWorkload(c.id, { graceSeconds: opts.graceSeconds }))]));
  const containersGone = removeAll('container', containers, (c) => removals.get(c.id)!);
  const networksFree = Promise.all(containers.map((c) => cut.get(c.id)!.then((off) => (off ? undefined : removals.get(c.id)!.catch(() => undefined)))));
  await Promise.all([
    networksFree.then(() => removeAll('network', found.networks, (n) => runtime.removeNetwork(n.id))),
    containersGone.then(() => removeAll('volume', found.volumes, (v) => runtime.removeVolume(v.name))),
  ]);

  // On a backend spread over machines, what only each machine sees (a node's volumes) goes last.
  if (runtime.removeEverywhere) {
    await runtime.removeEverywhere(selector).catch((e: unknown) => {
      const error = e instanceof Error ? e.message : String(e);
      report.failed.push({ kind: 'volume', name: 'volumes on every node', error });
      opts.logger?.warn({ err: error }, 'teardown could not sweep every node');
    });
  }

  const left = await runtime.list(selector);
  report.remaining = left.containers.filter((c) => !spared(c)).length + left.networks.length + left.volumes.length;
  report.ms = Date.now() - started;
  for (const key of ['containers', 'networks', 'volumes'] as const) report.removed[key].sort();
  return report;
}

export function runSelector(runId: string): Labels {
  return { [LABEL.run]: runId };
}
