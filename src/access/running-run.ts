// A run that is up, as found on the engine by its labels: what `forward`, `exec`, `logs` and
// `shell` need to reach it, with nothing but the run id to go on.
import { EnvironmentError, UsageError } from '../errors.js';
import { checkRunId } from '../orchestrator/lifecycle/run-id.js';
import { LABEL } from '../runtime/labels.js';
import type { Backend, ResourceSummary } from '../runtime/backend.js';
import { didYouMean } from '../text/did-you-mean.js';

export interface RunningRun {
  runId: string;
  project: string;
  /** Service name → its container (the first replica of a scaled service, as `docker compose exec` picks). */
  services: Map<string, ResourceSummary>;
  /** Service name → every container of it, in replica order. */
  replicas: Map<string, ResourceSummary[]>;
  /** Names of the networks the run made. */
  networks: string[];
}

export async function findRun(runtime: Backend, runId: string): Promise<RunningRun> {
  // A malformed id is a typo, not a run that went away: say so before asking the engine.
  checkRunId(runId);
  const found = await runtime.list({ [LABEL.run]: runId });
  const replicas = new Map<string, ResourceSummary[]>();
  const number = (c: ResourceSummary) => Number(c.labels[LABEL.replica] ?? 1);
  for (const c of [...found.containers].sort((a, b) => number(a) - number(b))) {
    const service = c.labels[LABEL.service];
    if (c.labels[LABEL.role] === 'service' && service) replicas.set(service, [...(replicas.get(service) ?? []), c]);
  }
  const services = new Map([...replicas].map(([name, containers]) => [name, containers[0]!]));
  if (services.size === 0) throw new EnvironmentError(`no environment with run id ${runId} is up on this engine (see \`envtest ls\`)`);
  const project = [...services.values()][0]!.labels[LABEL.project] ?? 'envtest';
  return { runId, project, services, replicas, networks: found.networks.map((n) => n.name).sort() };
}

/** The container of one service; a name the run does not have is the user's mistake, with a suggestion. */
export function serviceOf(run: RunningRun, service: string): ResourceSummary {
  const container = run.services.get(service);
  if (container) return container;
  const guess = didYouMean(service, run.services.keys());
  const known = [...run.services.keys()].sort().join(', ');
  throw new UsageError(`run ${run.runId} has no service "${service}"${guess ? ` (did you mean "${guess}"?)` : ''}; its services are ${known}`);
}
