// `scale` and `deploy.replicas`: what `docker compose up` refuses about several containers of one
// service is refused here before any engine call, with the file and line. `envtest config` prints
// these files as `docker compose config` does; only starting them fails, as in compose.
import { ValidationError, type Problem } from '../../errors.js';
import { replicaCount, type ComposeProject, type LoadedProject } from '../../model/project.js';

export interface ReplicaGuard {
  locate?: LoadedProject['locate'];
  /** `declared`: host ports are published as written, so a fixed one cannot serve two replicas. */
  publish?: 'free' | 'declared';
}

export function checkReplicas(project: ComposeProject, guard: ReplicaGuard = {}): void {
  const problems: Problem[] = [];
  const problem = (keyPath: (string | number)[], message: string) =>
    problems.push({ ...guard.locate?.(keyPath), path: keyPath.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').slice(1), message });
  for (const [name, service] of Object.entries(project.services)) {
    const count = replicaCount(service);
    const key = service.scale !== undefined ? ['services', name, 'scale'] : ['services', name, 'deploy', 'replicas'];
    if (count === 0) {
      problem(key, 'is 0: not supported yet (a service with no container cannot be waited on or checked; planned): remove the service, or give it a profile that is not active');
    }
    if (count < 2) continue;
    if (service.container_name) {
      problem(['services', name, 'container_name'], `cannot be used with ${count} replicas: each container needs its own name (docker compose refuses it too); remove container_name to scale the service`);
    }
    if (guard.publish !== 'declared') continue;
    (service.ports ?? []).forEach((p, i) => {
      if (!p.published || !/^\d+$/.test(p.published)) return;
      problem(['services', name, 'ports', i], `publishes host port ${p.published} for ${count} replicas, but one host port serves one container: give a range (${p.published}-${Number(p.published) + count - 1}:${p.target}), leave the host port out, or publish on free ports (the default)`);
    });
  }
  if (problems.length) throw new ValidationError(problems, 'compose project');
}
