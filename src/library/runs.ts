// The runs on an engine, as `envtest ls` shows and `envtest down` removes them: found by their
// `envtest.run` label, never by name.
import type { Logger } from 'pino';
import { LABEL } from '../runtime/labels.js';
import { ownerStatus } from '../orchestrator/cleanup/owner.js';
import { staleRuns } from '../orchestrator/cleanup/stale.js';
import { runSelector, teardown } from '../orchestrator/cleanup/teardown.js';
import type { Backend } from './engine.js';
import type { DownReport } from './environment.js';

export { checkRunId, generateRunId } from '../orchestrator/lifecycle/run-id.js';

/** One run on the engine. */
export interface RunListing {
  run: string;
  project: string;
  services: string[];
  /** When its oldest resource was made (ms since the epoch); undefined when the engine does not say. */
  created?: number;
  containers: number;
  networks: number;
  volumes: number;
}

/** Every run with something labelled on the engine, oldest first. */
export async function listRuns(runtime: Backend): Promise<RunListing[]> {
  await runtime.ping();
  const found = await runtime.list({ [LABEL.run]: '' });
  const runs = new Map<string, { run: string; project: string; services: Set<string>; created: number; containers: number; networks: number; volumes: number }>();
  const entry = (labels: Record<string, string>, created?: Date) => {
    const run = labels[LABEL.run]!;
    const e = runs.get(run) ?? { run, project: labels[LABEL.project] ?? '?', services: new Set(), created: Infinity, containers: 0, networks: 0, volumes: 0 };
    runs.set(run, e);
    if (created) e.created = Math.min(e.created, created.getTime());
    return e;
  };
  for (const c of found.containers) {
    const e = entry(c.labels, c.createdAt);
    e.containers++;
    if (c.labels[LABEL.service]) e.services.add(c.labels[LABEL.service]!);
  }
  for (const n of found.networks) entry(n.labels, n.createdAt).networks++;
  for (const v of found.volumes) entry(v.labels, v.createdAt).volumes++;
  return [...runs.values()]
    .sort((a, b) => a.created - b.created)
    .map((r) => ({ ...r, services: [...r.services].sort(), created: Number.isFinite(r.created) ? r.created : undefined }));
}

/** Which runs {@link removeRuns} removes: named ones, every one, or the stale ones. */
export type RunsToRemove = { runIds: string[] } | { all: true; stale?: { olderThanMs: number } };

/** What {@link removeRuns} did: one report per run removed, or one for `all`. */
export interface RemovedRuns {
  /** The runs removed (the stale ones found, or those named); empty for `all`. */
  runIds: string[];
  reports: DownReport[];
}

export async function removeRuns(runtime: Backend, which: RunsToRemove, opts: { graceSeconds?: number; logger?: Logger } = {}): Promise<RemovedRuns> {
  await runtime.ping();
  if ('runIds' in which) return { runIds: which.runIds, reports: await Promise.all(which.runIds.map((id) => teardown(runtime, runSelector(id), opts))) };
  if (which.stale) {
    const runIds = staleRuns(await runtime.list({ [LABEL.run]: '' }), { olderThanMs: which.stale.olderThanMs, ownerStatus: (o) => ownerStatus(o) });
    return { runIds, reports: await Promise.all(runIds.map((id) => teardown(runtime, runSelector(id), opts))) };
  }
  // An empty label value selects everything that carries the label at all.
  return { runIds: [], reports: [await teardown(runtime, { [LABEL.run]: '' }, opts)] };
}

/**
 * The second Ctrl-C: everything labelled with the run, at once. Its reaper is spared: it catches
 * whatever lands after this one pass, once this process exits.
 */
export async function forceRemoveRun(runtime: Backend, runId: string): Promise<void> {
  await teardown(runtime, runSelector(runId), { spareReapers: true });
}
