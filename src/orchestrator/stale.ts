// Which runs nobody is looking after: no live reaper (its orchestrator is gone, or ran with
// --no-reaper and died) and not started by `envtest up`, whose environments outlive their process
// on purpose. The backstop behind the reaper: `envtest down --all --stale`.
import { LABEL } from '../runtime/labels.js';
import type { ContainerRuntime, ListedResources } from '../runtime/runtime.js';

/**
 * A reaper created this recently but not yet running is about to start: its run is looked after.
 * Creating and starting one takes well under a second; older ones were orphaned by a SIGKILL in
 * between, before anything else of their run existed.
 */
const REAPER_STARTING_MS = 15_000;

export function staleRuns(found: ListedResources, now = Date.now()): string[] {
  const runs = new Set<string>();
  const cared = new Set<string>();
  const all = [...found.containers, ...found.networks, ...found.volumes];
  for (const r of all) {
    const run = r.labels[LABEL.run];
    if (!run) continue;
    runs.add(run);
    if (r.labels[LABEL.detached] === 'true') cared.add(run);
  }
  for (const c of found.containers) {
    if (c.labels[LABEL.role] !== 'reaper') continue;
    const starting = c.state === 'created' && now - (c.createdAt?.getTime() ?? 0) < REAPER_STARTING_MS;
    if (c.state === 'running' || starting) cared.add(c.labels[LABEL.run]!);
  }
  return [...runs].filter((r) => !cared.has(r)).sort();
}

/**
 * Removes reapers that were created but never started: the one window a SIGKILL leaves something
 * behind (nothing watches a reaper that is not running yet). Every `envtest run` sweeps them first.
 */
export async function sweepUnstartedReapers(runtime: ContainerRuntime, now = Date.now()): Promise<number> {
  const { containers } = await runtime.list({ [LABEL.role]: 'reaper' });
  // An unknown creation time counts as old, as in staleRuns: better swept than left forever.
  const orphans = containers.filter((c) => c.state === 'created' && now - (c.createdAt?.getTime() ?? 0) >= REAPER_STARTING_MS);
  await Promise.all(orphans.map((c) => runtime.removeContainer(c.id).catch(() => undefined)));
  return orphans.length;
}
