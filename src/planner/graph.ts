// Start-order edges of a compose project. depends_on is the declared order; links, network_mode
// `service:x` and volumes_from imply one too, because the engine cannot create the dependent
// container before the one it points at exists.
import type { ComposeProject, DependencyCondition } from '../model/project.js';

export interface DependencyEdge {
  service: string;
  dependsOn: string;
  condition: DependencyCondition;
  required: boolean;
  /** Which key declared it, for messages. */
  via: 'depends_on' | 'links' | 'network_mode' | 'volumes_from';
}

export function dependencyEdges(project: ComposeProject): DependencyEdge[] {
  const edges: DependencyEdge[] = [];
  for (const [service, config] of Object.entries(project.services)) {
    const seen = new Set<string>();
    const add = (dependsOn: string, via: DependencyEdge['via'], condition: DependencyCondition = 'service_started', required = true) => {
      if (seen.has(dependsOn)) return;
      seen.add(dependsOn);
      edges.push({ service, dependsOn, condition, required, via });
    };
    for (const [dep, spec] of Object.entries(config.depends_on ?? {})) add(dep, 'depends_on', spec.condition, spec.required);
    for (const link of config.links ?? []) add(link.split(':')[0]!, 'links');
    if (config.network_mode?.startsWith('service:')) add(config.network_mode.slice('service:'.length), 'network_mode');
    for (const from of config.volumes_from ?? []) {
      if (!from.startsWith('container:')) add(from.split(':')[0]!, 'volumes_from');
    }
  }
  return edges;
}

/** The first cycle found, as a closed path (`[a, b, c, a]`), or undefined. Deterministic: names sorted. */
export function findCycle(nodes: string[], edges: Pick<DependencyEdge, 'service' | 'dependsOn'>[]): string[] | undefined {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.service, [...(out.get(e.service) ?? []), e.dependsOn].sort());
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of out.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...nodes].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}
