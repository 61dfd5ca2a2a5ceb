// What a run left on the swarm, looked up by its label: services (the per-node sweep's too), networks, configs and secrets on
// the manager, and containers, networks and volumes on every node's own dockerd (a task's container
// and a service's local volume live on the node that ran the task, not on the manager).
import { onNode, swarm, type SwarmLab } from './lab.js';

const lines = (out: string, prefix: string) => out.split('\n').filter(Boolean).map((line) => `${prefix}${line}`);

export async function runLeftovers(lab: SwarmLab, runId: string): Promise<string[]> {
  const label = `label=envtest.run=${runId}`;
  const onManager = await Promise.all(
    (['service', 'network', 'config', 'secret'] as const).map(async (kind) => lines(await swarm(lab, [kind, 'ls', '--format', `${kind} {{.Name}}`, '--filter', label]), '')),
  );
  const onNodes = await Promise.all(
    lab.nodes.flatMap((node) => [
      onNode(node, ['ps', '-a', '--format', 'container {{.Names}}', '--filter', label]).then((out) => lines(out, `${node}: `)),
      onNode(node, ['network', 'ls', '--format', 'network {{.Name}}', '--filter', label]).then((out) => lines(out, `${node}: `)),
      onNode(node, ['volume', 'ls', '--format', 'volume {{.Name}}', '--filter', label]).then((out) => lines(out, `${node}: `)),
    ]),
  );
  // The per-node sweep's job, left when whoever launched it died first (it carries envtest.sweep=<run>).
  const sweeps = lines(await swarm(lab, ['service', 'ls', '--format', 'sweep service {{.Name}}', '--filter', `label=envtest.sweep=${runId}`]), '');
  return [...new Set([...onManager.flat(), ...sweeps, ...onNodes.flat()])];
}

/** The nodes that hold a container labelled with the run right now (so a leftover check is not vacuous). */
export async function nodesWithRunContainers(lab: SwarmLab, runId: string): Promise<string[]> {
  const found = await Promise.all(lab.nodes.map(async (node) => ((await onNode(node, ['ps', '-q', '--filter', `label=envtest.run=${runId}`])) ? node : undefined)));
  return found.filter((n): n is string => n !== undefined);
}

/** Waits until nothing labelled with the run is left anywhere on the swarm; returns how long that took. */
export async function waitUntilSwarmClean(lab: SwarmLab, runId: string, withinMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if ((await runLeftovers(lab, runId)).length === 0) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${runId} still has ${(await runLeftovers(lab, runId)).join(', ')} after ${withinMs}ms`);
}
