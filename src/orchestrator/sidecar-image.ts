// Which image runs envtest's own containers on a run's network (the check sidecar, shell and
// forward helpers): any image with node >= 18 on PATH works.
import type { ContainerRuntime } from '../runtime/runtime.js';

/** Built by scripts/build-images.sh offline; anywhere a registry answers, node:20-slim works as well. */
export const DEFAULT_SIDECAR_IMAGE = 'envtest/sidecar:latest';
const FALLBACK_SIDECAR_IMAGE = 'node:20-slim';

export async function resolveSidecarImage(runtime: ContainerRuntime, requested?: string): Promise<string> {
  if (requested) return requested;
  return (await runtime.imageExists(DEFAULT_SIDECAR_IMAGE)) ? DEFAULT_SIDECAR_IMAGE : FALLBACK_SIDECAR_IMAGE;
}
