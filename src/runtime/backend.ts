// Which orchestrator runs a run's services. Every backend answers the same verbs (docs/backends.md maps
// each to Docker, Swarm and Kubernetes objects); what one cannot do the Docker way it declares here,
// so the orchestrator falls back and says so instead of failing on an engine error.
export type { BackendLimits } from './runtime.js';

export const BACKENDS = ['docker', 'swarm'] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * The verbs, as the orchestrator uses them:
 * - provision the run's networks: `createNetwork` (an overlay on swarm), `createVolume`;
 * - start a service with replicas and report readiness: `createContainer` + `startContainer` of a
 *   `service` role spec, then `inspectContainer` (one state for all replicas) and `events`;
 * - run a one-shot job on the run's network with files copied in: `createContainer` +
 *   `putArchive` + `startContainer` + `waitForExit` of a `sidecar`/`helper` role spec;
 * - stream logs: `logs`; exec: `exec`;
 * - list and remove everything labelled with a run: `list`, `remove*`, then `removeEverywhere`.
 * Each backend implements ContainerRuntime; `limits` says what it cannot do the Docker way.
 */
export function parseBackendName(value: string | undefined, from: string): BackendName | undefined {
  if (value === undefined || value === '') return undefined;
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`${from} must be one of ${BACKENDS.join(', ')}, not "${value}"`);
}
