// Podman answers the Docker API with its own container states where they differ: `stopped` (exited,
// not yet cleaned up: with no cleanup process it can stay so for good), `configured` (created),
// `stopping`. Read literally, a one-shot job that exited would never count as exited and every
// `service_completed_successfully` would wait for the start timeout. Docker never sends these words,
// so they are translated whatever the engine.
import type { ContainerState } from '../runtime.js';

const PODMAN_STATES: Record<string, ContainerState['status']> = {
  stopped: 'exited',
  configured: 'created',
  initialized: 'created',
  stopping: 'running',
  unknown: 'dead',
};

export function dockerStatus(status: string): ContainerState['status'] {
  return PODMAN_STATES[status] ?? (status as ContainerState['status']);
}
