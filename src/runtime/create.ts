// The one place a backend is chosen: `--backend` / ENVTEST_BACKEND, docker unless asked.
import type { Backend, BackendName } from './backend.js';
import { DockerBackend } from './docker/docker-backend.js';
import { SwarmBackend } from './swarm/swarm-backend.js';

export interface BackendChoice {
  backend?: BackendName;
  /** Swarm: where built images are pushed (`host:port`). */
  registry?: string;
  /** Swarm: an image with node on every node, for the per-node sweep at teardown. */
  sweepImage?: string;
}

/** `env` is where the engine (or the swarm manager) is looked for, as the docker CLI looks. */
export function createBackend(choice: BackendChoice = {}, env: NodeJS.ProcessEnv = process.env): Backend {
  if (choice.backend === 'swarm') return new SwarmBackend({ registry: choice.registry, sweepImage: choice.sweepImage }, env);
  return new DockerBackend(env);
}
