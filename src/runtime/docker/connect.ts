import { Agent } from 'node:https';
import type DockerClass from 'dockerode';
import { EngineUnavailableError } from '../../errors.js';
import { Docker } from './dockerode.js';
import { describeEngine, engineSocketPath, type EngineLocation } from './engine-discovery.js';

/**
 * dockerode for one discovered engine. Every connection setting is given explicitly: the modem
 * would otherwise fill gaps from DOCKER_HOST itself, and the discovery has already decided.
 */
export function connectDocker(engine: EngineLocation, env: NodeJS.ProcessEnv = process.env): Docker {
  const blank = { socketPath: undefined, host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined };
  const socketPath = engineSocketPath(engine.host);
  if (socketPath) return new Docker({ ...blank, socketPath });
  const url = new URL(engine.host);
  if (url.protocol === 'ssh:') {
    // dockerode's own ssh transport, authenticated by the ssh agent.
    return new Docker({ ...blank, protocol: 'ssh', host: url.hostname, port: url.port || 22, username: decodeURIComponent(url.username) || undefined, sshOptions: { agent: env.SSH_AUTH_SOCK } });
  }
  const { tls } = engine;
  const files = { ca: tls?.ca, cert: tls?.cert, key: tls?.key };
  return new Docker({
    ...blank,
    protocol: tls ? 'https' : 'http',
    host: url.hostname,
    port: url.port,
    ...files,
    // Without verification the agent must say so: request options cannot turn it off.
    ...(tls && !tls.verify ? { agent: new Agent({ ...files, rejectUnauthorized: false }) } : {}),
  } as DockerClass.DockerOptions);
}

export async function pingEngine(docker: Docker, engine: EngineLocation, timeoutMs = 5000): Promise<void> {
  const unreachable = (why: string) =>
    new EngineUnavailableError(
      `no container engine answered at ${describeEngine(engine)}: ${why}. Start Docker (on Debian as root, envtest's scripts/setup-docker.sh installs and starts one), or point DOCKER_HOST or the docker context at a running engine.`,
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
