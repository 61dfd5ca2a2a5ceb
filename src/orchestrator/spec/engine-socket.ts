// A service holding the engine socket can start, stop or inspect anything on the engine, including
// other runs: envtest refuses it unless asked, so a test stack cannot escape its sandbox by accident.
// Mounting a directory above the socket (/var/run, /) hands it over just the same, and symlinks
// (/var/run -> /run) must not hide that, so paths are compared as written and as resolved.
import { realpathSync } from 'node:fs';
import { basename, dirname, join, normalize } from 'node:path';
import { ValidationError, type Problem } from '../../errors.js';
import type { ComposeProject, LoadedProject } from '../../model/project.js';

const ENGINE_SOCKET = /(^|\/)(docker|podman|containerd)\.sock$/;
/** Where engines put their socket by default; guarded even when the run talks to another endpoint. */
const DEFAULT_SOCKET = '/var/run/docker.sock';

export interface SocketGuard {
  /** The endpoint the run talks to (`unix:///run/user/1000/docker.sock`, `tcp://…`). */
  engineEndpoint?: string;
  locate?: LoadedProject['locate'];
}

export function refuseEngineSocket(project: ComposeProject, guard: SocketGuard = {}): void {
  const sockets = engineSockets(guard.engineEndpoint);
  const problems: Problem[] = [];
  for (const [name, service] of Object.entries(project.services)) {
    (service.volumes ?? []).forEach((v, i) => {
      if (v.type !== 'bind' || !v.source) return;
      const source = v.source;
      const socket = ENGINE_SOCKET.test(source) ? source : sockets.find((s) => holds(source, s));
      if (!socket) return;
      const what = socket === source ? `the container engine socket (${source})` : `${source}, which holds the container engine socket (${socket})`;
      const keyPath = ['services', name, 'volumes', i];
      problems.push({
        ...guard.locate?.(keyPath),
        path: `services.${name}.volumes[${i}]`,
        message: `mounts ${what}; envtest refuses that so a test stack cannot control the engine. Pass --allow-engine-socket if the service really needs it`,
      });
    });
  }
  if (problems.length) throw new ValidationError(problems, 'compose project');
}

function engineSockets(endpoint: string | undefined): string[] {
  const fromEndpoint = endpoint?.startsWith('unix://') ? endpoint.slice('unix://'.length) : undefined;
  return [...new Set([fromEndpoint, DEFAULT_SOCKET].filter((s): s is string => !!s))];
}

/** Whether mounting `source` exposes `socket`: it is the socket or one of its parent directories. */
function holds(source: string, socket: string): boolean {
  for (const src of new Set([normalize(source), real(source)])) {
    for (const sock of new Set([normalize(socket), real(socket)])) {
      if (src === sock || sock.startsWith(src.endsWith('/') ? src : `${src}/`)) return true;
    }
  }
  return false;
}

/** The path with every symlink resolved; for a path that does not exist, as far as it does. */
function real(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(real(parent), basename(path));
  }
}
