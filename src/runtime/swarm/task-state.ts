// Pure: a swarm service's tasks → one state, in the terms readiness judges (running, exited with a
// code, healthy). A swarm holds a task in `starting` until its health check passes and fails it when
// the check says unhealthy, so task state is the health where the service has a check.
import type { ContainerState } from '../runtime.js';

export interface SwarmTask {
  ID: string;
  ServiceID?: string;
  NodeID?: string;
  Slot?: number;
  CreatedAt?: string;
  DesiredState?: string;
  Status?: { State?: string; Timestamp?: string; Err?: string; Message?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
  NetworksAttachments?: { Network?: { Spec?: { Name?: string } }; Addresses?: string[] }[];
}

const FAILED = new Set(['failed', 'rejected', 'orphaned']);

type Summary = Omit<ContainerState, 'id' | 'name'> & { nodes: string[] };

export function summarizeTasks(all: SwarmTask[], replicas: number, healthcheck: boolean, nodeNames: Map<string, string> = new Map()): Summary {
  // With restart condition none a slot keeps its one task; the newest per slot is the one that counts.
  const bySlot = new Map<string, SwarmTask>();
  for (const t of all) {
    const key = String(t.Slot ?? t.NodeID ?? t.ID);
    const prev = bySlot.get(key);
    if (!prev || (t.CreatedAt ?? '') > (prev.CreatedAt ?? '')) bySlot.set(key, t);
  }
  const tasks = [...bySlot.values()];
  const state = (t: SwarmTask) => t.Status?.State ?? 'new';
  const nodes = [...new Set(tasks.filter((t) => t.NodeID).map((t) => nodeNames.get(t.NodeID!) ?? t.NodeID!))].sort();
  const base = {
    restartCount: 0,
    publishedPorts: [],
    nodes,
    networkAddresses: tasks.flatMap((t) =>
      (t.NetworksAttachments ?? []).flatMap((a) => (a.Network?.Spec?.Name ? [{ network: a.Network.Spec.Name, ipv4: a.Addresses?.[0]?.split('/')[0] }] : [])),
    ),
  };
  const failed = tasks.find((t) => FAILED.has(state(t)));
  if (failed) {
    const why = failed.Status?.Err ?? failed.Status?.Message ?? state(failed);
    // Swarm ends an unhealthy task itself; its exit code then is the kill's, not the program's.
    if (/unhealthy/i.test(why)) return { ...base, status: 'running', exitCode: 0, health: 'unhealthy', lastHealthOutput: why };
    return { ...base, status: 'exited', exitCode: failed.Status?.ContainerStatus?.ExitCode || 1, health: 'none', lastHealthOutput: why };
  }
  const count = (s: string) => tasks.filter((t) => state(t) === s).length;
  if (tasks.length >= replicas && replicas > 0 && count('complete') === tasks.length) return { ...base, status: 'exited', exitCode: 0, health: 'none' };
  const running = count('running');
  const startedAt = latest(tasks.filter((t) => state(t) === 'running').map((t) => t.Status?.Timestamp));
  if (running >= replicas && replicas > 0) return { ...base, status: 'running', exitCode: 0, health: healthcheck ? 'healthy' : 'none', startedAt };
  // Some replicas on their way: with a health check that is `starting`; without, not started until all are.
  if (healthcheck && count('starting') + running > 0) return { ...base, status: 'running', exitCode: 0, health: 'starting', startedAt };
  return { ...base, status: 'created', exitCode: 0, health: 'none' };
}

function latest(times: (string | undefined)[]): string | undefined {
  return times.filter((t): t is string => !!t).sort().at(-1);
}
