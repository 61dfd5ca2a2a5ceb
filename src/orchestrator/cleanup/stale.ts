// Which runs nobody is looking after, for `envtest down --all --stale`: the backstop behind the
// reaper. A run is looked after while its reaper runs, while it was started by `envtest up` (its
// environment outlives its process on purpose), or while the process that started it lives. An
// owner on another host cannot be looked up from here: its run is stale only once it is older than
// `olderThanMs`, and so is a run that records no owner at all.
import { LABEL } from '../../runtime/labels.js';
import type { Backend, ListedResources } from '../../runtime/backend.js';
import { ownerFromLabels, type Owner, type OwnerStatus } from './owner.js';

/**
 * A reaper created this recently but not yet running is about to start: its run is looked after.
 * Creating and starting one takes well under a second; older ones were orphaned by a SIGKILL in
 * between, before anything else of their run existed.
 */
const REAPER_STARTING_MS = 15_000;

export const DEFAULT_STALE_AFTER_MS = 3_600_000;

export interface StaleRules {
  /** Runs whose owner cannot be looked up are stale only when older than this. */
  olderThanMs: number;
  ownerStatus: (owner: Owner) => OwnerStatus;
  now?: number;
}

interface RunSeen {
  cared: boolean;
  owner?: Owner;
  /** Creation of its oldest resource; unknown counts as old, so that nothing stays forever. */
  createdAt: number;
}

export function staleRuns(found: ListedResources, rules: StaleRules): string[] {
  const now = rules.now ?? Date.now();
  const runs = new Map<string, RunSeen>();
  for (const r of [...found.containers, ...found.networks, ...found.volumes]) {
    const run = r.labels[LABEL.run];
    if (!run) continue;
    const seen = runs.get(run) ?? { cared: false, createdAt: Infinity };
    runs.set(run, seen);
    seen.createdAt = Math.min(seen.createdAt, r.createdAt?.getTime() ?? 0);
    seen.owner ??= ownerFromLabels(r.labels);
    if (r.labels[LABEL.detached] === 'true') seen.cared = true;
  }
  for (const c of found.containers) {
    if (c.labels[LABEL.role] !== 'reaper') continue;
    const starting = c.state === 'created' && now - (c.createdAt?.getTime() ?? 0) < REAPER_STARTING_MS;
    if (c.state === 'running' || starting) runs.get(c.labels[LABEL.run]!)!.cared = true;
  }
  const stale = ({ cared, owner, createdAt }: RunSeen) => {
    if (cared) return false;
    const status = owner ? rules.ownerStatus(owner) : 'elsewhere';
    if (status !== 'elsewhere') return status === 'gone';
    return now - createdAt > rules.olderThanMs;
  };
  return [...runs].filter(([, seen]) => stale(seen)).map(([run]) => run).sort();
}

/**
 * Removes reapers that were created but never started: the one window a SIGKILL leaves something
 * behind (nothing watches a reaper that is not running yet). Every `envtest run` sweeps them first.
 */
export async function sweepUnstartedReapers(runtime: Backend, now = Date.now()): Promise<number> {
  const { containers } = await runtime.list({ [LABEL.role]: 'reaper' });
  // An unknown creation time counts as old, as in staleRuns: better swept than left forever.
  const orphans = containers.filter((c) => c.state === 'created' && now - (c.createdAt?.getTime() ?? 0) >= REAPER_STARTING_MS);
  await Promise.all(orphans.map((c) => runtime.removeWorkload(c.id).catch(() => undefined)));
  return orphans.length;
}
