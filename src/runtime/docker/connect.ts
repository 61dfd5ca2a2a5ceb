import Docker from 'dockerode';
import { EngineUnavailableError } from '../../errors.js';

/** Where dockerode will connect, in the form users set DOCKER_HOST. */
export function engineEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}

export function connectDocker(env: NodeJS.ProcessEnv = process.env): Docker {
  // dockerode reads DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH itself.
  return new Docker();
}

export async function pingEngine(docker: Docker, endpoint: string, timeoutMs = 5000): Promise<void> {
  const unreachable = (why: string) =>
    new EngineUnavailableError(
      `no container engine answered at ${endpoint} (${why}). Start Docker (on Debian as root, envtest's scripts/setup-docker.sh installs and starts one), or point DOCKER_HOST at a running engine.`,
    );
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    // The dial wrapper may already have classified it; the original says best why.
    const original = e instanceof EngineUnavailableError && e.cause instanceof Error ? e.cause : e;
    throw unreachable(original instanceof Error ? original.message : String(original));
  } finally {
    clearTimeout(timer);
  }
}
