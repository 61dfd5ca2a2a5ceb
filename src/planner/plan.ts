// Pure: normalized project → start plan. The plan's layers are for people (`envtest plan`, later the
// HTML timeline); the orchestrator schedules each service as soon as its own dependencies are met,
// so a slow service in one layer never holds back unrelated services in the next.
import { ValidationError, type Problem } from '../errors.js';
import type { ComposeProject, DependencyCondition, LoadedProject } from '../model/project.js';
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

/** A problem at a key path (`['services', 'web', 'depends_on']`), for the loader to give file and line. */
interface GraphProblem {
  path: (string | number)[];
  message: string;
}

/** Dependencies on services that are not there, and cycles (a service depending on itself included). */
function dependencyProblems(project: ComposeProject): GraphProblem[] {
  const services = Object.keys(project.services).sort();
  const known = new Set(services);
  const edges = dependencyEdges(project);
  const problems: GraphProblem[] = edges
    .filter((e) => e.required && !known.has(e.dependsOn))
    .map((e) => ({ path: ['services', e.service, e.via], message: `depends on unknown service "${e.dependsOn}"${suggestion(e.dependsOn, services)}` }));
  if (problems.length) return problems;
  const cycle = findCycle(services, edges.filter((e) => known.has(e.dependsOn)));
  if (!cycle) return [];
  const first = edges.find((e) => e.service === cycle[0] && e.dependsOn === cycle[1])!;
  const path = ['services', first.service, first.via];
  return [{ path, message: cycle.length === 2 ? 'depends on itself' : `dependency cycle: ${cycle.join(' -> ')}` }];
}

/** `locate` (LoadedProject.locate) gives the problems file and line. */
export function planStart(project: ComposeProject, locate?: LoadedProject['locate']): StartPlan {
  const services = Object.keys(project.services).sort();
  const known = new Set(services);
  const problems = dependencyProblems(project);
  if (problems.length) throw new ValidationError(problems.map((p) => ({ ...locate?.(p.path), path: p.path.join('.'), message: p.message })), 'compose project');
  const warnings: Problem[] = [];
  const edges: DependencyEdge[] = [];
  for (const edge of dependencyEdges(project)) {
    if (known.has(edge.dependsOn)) edges.push(edge);
    else warnings.push({ path: `services.${edge.service}.${edge.via}`, severity: 'warning', message: `optional dependency "${edge.dependsOn}" is not in the project; starting without it` });
  }

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
