// Which services a check's target reaches: the service the host names (by service name,
// container_name, hostname or network alias) and the services it depends on, which it may forward
// the request to. Their logs are the ones that explain a failure.
import type { ComposeProject } from '../../model/project.js';

export function servicesBehind(project: ComposeProject, host: string): string[] {
  const entry = Object.entries(project.services).find(
    ([name, s]) =>
      name === host ||
      s.container_name === host ||
      s.hostname === host ||
      Object.values(s.networks ?? {}).some((n) => n?.aliases?.includes(host)),
  );
  if (!entry) return [];
  return [entry[0], ...Object.keys(entry[1].depends_on ?? {})];
}
