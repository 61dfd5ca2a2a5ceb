// depends_on as compose-go completes it after merging: defaults for the long form (filled only now,
// so an override that sets `required` alone keeps the base's `condition`), and the dependencies that
// links, volumes_from and `service:` namespaces imply, so such services start in the right order.
import { isPlainObject } from '../key-path.js';

type Dict = Record<string, unknown>;

const NAMESPACES = ['network_mode', 'ipc', 'pid', 'uts', 'cgroup'] as const;

export function completeDependencies(services: Record<string, Dict>): Record<string, Dict> {
  const out: Record<string, Dict> = {};
  for (const [name, raw] of Object.entries(services)) {
    const deps: Record<string, Dict> = {};
    for (const [dep, d] of Object.entries(isPlainObject(raw.depends_on) ? raw.depends_on : {})) {
      deps[dep] = { condition: 'service_started', required: true, restart: false, ...(d as Dict) };
    }
    const imply = (dep: string, restart: boolean) => {
      deps[dep] ??= { condition: 'service_started', required: true, restart };
    };
    for (const link of (raw.links as string[] | undefined) ?? []) imply(link.split(':')[0]!, true);
    for (const ns of NAMESPACES) {
      const ref = raw[ns];
      if (typeof ref === 'string' && ref.startsWith('service:')) imply(ref.slice('service:'.length), true);
    }
    for (const from of (raw.volumes_from as string[] | undefined) ?? []) if (!from.startsWith('container:')) imply(from.split(':')[0]!, false);
    out[name] = Object.keys(deps).length ? { ...raw, depends_on: deps } : raw;
  }
  return out;
}
