// Which engine answers behind the Docker API. Podman serves the same API with a few differences the
// runtime bridges (see podman-health.ts); the engine names itself in /version, so that is where it
// is read, once per runtime, instead of guessing from the socket's path.
import type Docker from 'dockerode';

export type EngineKind = 'docker' | 'podman';

export async function detectEngineKind(docker: Docker): Promise<EngineKind> {
  const version = (await docker.version()) as { Components?: { Name?: string }[]; Platform?: { Name?: string } };
  const names = [version.Platform?.Name ?? '', ...(version.Components ?? []).map((c) => c.Name ?? '')];
  return names.some((n) => /podman/i.test(n)) ? 'podman' : 'docker';
}
