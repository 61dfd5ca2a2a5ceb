// Pure: normalized project → start plan. The plan's layers are for people (`envtest plan`, later the
// HTML timeline); the orchestrator schedules each service as soon as its own dependencies are met,
// so a slow service in one layer never holds back unrelated services in the next.
import { ValidationError, type Problem } from '../errors.js';
import type { ComposeProject, DependencyCondition } from '../model/project.js';
import { suggestion } from '../text/did-you-mean.js';
import { dependencyEdges, findCycle, type DependencyEdge } from './graph.js';

export interface PlannedDependency {
  service: string;
  condition: DependencyCondition;
  required: boolean;
}

export interface StartPlan {
  /** Services that may start together, in order. */
  layers: string[][];
  /** What each service waits for before it is created. */
  waitsFor: Record<string, PlannedDependency[]>;
  warnings: Problem[];
}

export function planStart(project: ComposeProject): StartPlan {
  const services = Object.keys(project.services).sort();
  const known = new Set(services);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const edges: DependencyEdge[] = [];

  for (const edge of dependencyEdges(project)) {
    if (known.has(edge.dependsOn)) {
      edges.push(edge);
      continue;
    }
    const path = `services.${edge.service}.${edge.via}`;
    if (edge.required) {
      problems.push({ path, message: `depends on unknown service "${edge.dependsOn}"${suggestion(edge.dependsOn, services)}` });
    } else {
      warnings.push({ path, severity: 'warning', message: `optional dependency "${edge.dependsOn}" is not in the project; starting without it` });
    }
  }
  if (problems.length) throw new ValidationError(problems, 'compose project');

  const cycle = findCycle(services, edges);
  if (cycle) throw new ValidationError([{ message: `dependency cycle: ${cycle.join(' -> ')}` }], 'compose project');

  const waitsFor: Record<string, PlannedDependency[]> = Object.fromEntries(services.map((s) => [s, []]));
  for (const e of edges) waitsFor[e.service]!.push({ service: e.dependsOn, condition: e.condition, required: e.required });

  return { layers: layer(services, waitsFor), waitsFor, warnings };
}

/** Longest-path layering: a service sits one layer after its deepest dependency. */
function layer(services: string[], waitsFor: Record<string, PlannedDependency[]>): string[][] {
  const depth = new Map<string, number>();
  const depthOf = (s: string): number => {
    const known = depth.get(s);
    if (known !== undefined) return known;
    const d = Math.max(-1, ...waitsFor[s]!.map((dep) => depthOf(dep.service))) + 1;
    depth.set(s, d);
    return d;
  };
  const layers: string[][] = [];
  for (const s of services) (layers[depthOf(s)] ??= []).push(s);
  return layers;
}
