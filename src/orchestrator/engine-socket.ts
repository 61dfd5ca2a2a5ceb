// A service holding the engine socket can start, stop or inspect anything on the engine, including
// other runs: envtest refuses it unless asked, so a test stack cannot escape its sandbox by accident.
import { ValidationError, type Problem } from '../errors.js';
import type { ComposeProject } from '../model/project.js';

const ENGINE_SOCKET = /(^|\/)(docker|podman|containerd)\.sock$/;

export function refuseEngineSocket(project: ComposeProject): void {
  const problems: Problem[] = [];
  for (const [name, service] of Object.entries(project.services)) {
    (service.volumes ?? []).forEach((v, i) => {
      if (v.type === 'bind' && v.source && ENGINE_SOCKET.test(v.source)) {
        problems.push({
          path: `services.${name}.volumes[${i}]`,
          message: `mounts the container engine socket (${v.source}); envtest refuses that so a test stack cannot control the engine. Pass --allow-engine-socket if the service really needs it`,
        });
      }
    });
  }
  if (problems.length) throw new ValidationError(problems, 'compose project');
}
