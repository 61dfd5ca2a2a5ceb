// Names the engine turns into host names on the run's network: each service is reachable by its
// name, and a container_name is unique per engine. Pure.
import type { KeyPath } from '../key-path.js';

type Report = (p: { path: KeyPath; message: string }) => void;

/** A DNS label holds at most 63 characters; a longer service name cannot resolve. */
const MAX_LABEL = 63;

export function checkServiceNames(services: Record<string, Record<string, unknown>>, report: Report): void {
  const owners = new Map<string, string>();
  for (const name of Object.keys(services).sort()) {
    if (name.length > MAX_LABEL) {
      report({ path: ['services', name], message: `service name is ${name.length} characters long; other services reach it by this name, and a host name label holds at most ${MAX_LABEL}: shorten it` });
    } else if (!/^[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$/.test(name)) {
      report({ path: ['services', name], message: `service name "${name}" cannot be a host name: use letters, digits, ".", "_" and "-", starting and ending with a letter or digit` });
    }
    const container = services[name]!.container_name;
    if (typeof container !== 'string') continue;
    const first = owners.get(container);
    if (first) report({ path: ['services', name, 'container_name'], message: `"${container}" is already the container_name of service "${first}"; container names must be unique` });
    else owners.set(container, name);
  }
}
