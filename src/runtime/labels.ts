// Every resource envtest makes carries these, and every cleanup path finds resources by them.
export const LABEL = {
  run: 'envtest.run',
  project: 'envtest.project',
  service: 'envtest.service',
  role: 'envtest.role',
  /** Which container of a service it is, from 1 (`scale`, `deploy.replicas`). */
  replica: 'envtest.replica',
  /** On runs started by `envtest up`: meant to outlive their process, so never "stale". */
  detached: 'envtest.detached',
  /** The process that started the run (see orchestrator/cleanup/owner.ts): the stale sweep spares it while it lives. */
  ownerHost: 'envtest.owner.host',
  ownerPidNamespace: 'envtest.owner.pidns',
  ownerPid: 'envtest.owner.pid',
  ownerStartTime: 'envtest.owner.started',
  /** On an image envtest built: the hash of what built it (orchestrator/images/build-hash.ts). */
  buildHash: 'envtest.build-hash',
  /** On a run's reaper: a value only it carries, by which it finds its own container (its hostname is the host's). */
  reaperSelf: 'envtest.reaper.self',
  /** On a swarm run's name watch (runtime/swarm/name-watch.ts): the service whose name it waits for. */
  namesOf: 'envtest.names-of',
} as const;

export type Role = 'service' | 'sidecar' | 'reaper' | 'helper';

export function runLabels(runId: string, project: string): Record<string, string> {
  return { [LABEL.run]: runId, [LABEL.project]: project };
}

export function containerLabels(runId: string, project: string, role: Role, service?: string): Record<string, string> {
  return { ...runLabels(runId, project), [LABEL.role]: role, ...(service ? { [LABEL.service]: service } : {}) };
}
