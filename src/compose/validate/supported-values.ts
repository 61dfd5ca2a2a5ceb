// Values the schema lets through by shape but envtest cannot honour, refused by name after merging
// (a merged list can be longer than either file's), plus the rules secrets and configs need before
// anything can copy them into a container. Pure.
import { isPlainObject, type KeyPath } from '../key-path.js';

type Dict = Record<string, unknown>;
type Report = (p: { path: KeyPath; message: string; severity?: 'warning' }) => void;

const SWARM_ONLY = ['mode', 'placement', 'update_config', 'rollback_config', 'endpoint_mode', 'restart_policy', 'labels'] as const;
/** What the Swarm backend turns into the service's spec (runtime/swarm/service-spec.ts); the rest it leaves out too. */
const HONOURED_ON_SWARM: readonly string[] = ['placement', 'endpoint_mode', 'resources.reservations.cpus'];

const NOT_SUPPORTED = 'not supported yet';

/** Per service; `at` prefixes the service's own key path. */
export function checkServiceValues(s: Dict, at: (...rest: (string | number)[]) => KeyPath, report: Report, backend: 'docker' | 'swarm' = 'docker'): void {
  const deploy = isPlainObject(s.deploy) ? s.deploy : {};
  const all: string[] = SWARM_ONLY.filter((k) => deploy[k] !== undefined);
  const reservations = isPlainObject(deploy.resources) && isPlainObject(deploy.resources.reservations) ? deploy.resources.reservations : {};
  for (const k of ['cpus', 'generic_resources']) if (reservations[k] !== undefined) all.push(`resources.reservations.${k}`);
  const ignored = backend === 'swarm' ? all.filter((k) => !HONOURED_ON_SWARM.includes(k)) : all;
  if (ignored.length) {
    const many = ignored.length > 1;
    report({
      path: at('deploy'),
      severity: 'warning',
      message:
        backend === 'swarm'
          ? `${ignored.join(', ')} ${many ? 'are' : 'is'} not supported by the swarm backend: ignored (a run's services are replicated one-shot tasks)`
          : `${ignored.join(', ')} ${many ? 'are Swarm settings' : 'is a Swarm setting'}: ignored, as docker compose ignores ${many ? 'them' : 'it'} outside a Swarm`,
    });
  }
  if (s.scale !== undefined && deploy.replicas !== undefined && s.scale !== deploy.replicas) {
    report({ path: at('scale'), message: `is ${String(s.scale)} but deploy.replicas is ${String(deploy.replicas)}: set one of them, or the same number in both` });
  }
  if (s.develop !== undefined) {
    report({ path: at('develop'), severity: 'warning', message: 'is for docker compose watch: ignored, as docker compose up ignores it (a test run does not watch files)' });
  }
  const mode = s.network_mode as string | undefined;
  if (s.links !== undefined && mode !== undefined && mode !== 'bridge') {
    report({ path: at('links'), message: `cannot be used together with network_mode "${mode}"` });
  }
}

const SOURCES = {
  secrets: { keys: ['file', 'environment'], words: '"file" or "environment"' },
  configs: { keys: ['file', 'environment', 'content'], words: '"file", "environment" or "content"' },
} as const;

/**
 * A fixed address needs a subnet to take it from: an `ipam` subnet of a network the run creates.
 * (On the engine's pool envtest could not know which address is free, and parallel runs of the same
 * project would both claim it.)
 */
export function checkFixedAddresses(s: Dict, networks: Dict, at: (...rest: (string | number)[]) => KeyPath, report: Report): void {
  for (const [net, attach] of Object.entries(isPlainObject(s.networks) ? s.networks : {})) {
    if (!isPlainObject(attach)) continue;
    for (const key of ['ipv4_address', 'ipv6_address'] as const) {
      if (attach[key] === undefined) continue;
      const def = networks[net];
      const ipam = isPlainObject(def) && isPlainObject(def.ipam) ? def.ipam : undefined;
      const subnets = Array.isArray(ipam?.config) ? (ipam.config as Dict[]).filter((c) => c.subnet !== undefined) : [];
      if (isPlainObject(def) && def.external) continue;
      if (!subnets.length) {
        report({ path: at('networks', net, key), message: `needs a subnet to take the address from: declare networks.${net}.ipam.config with a subnet that holds ${String(attach[key])}` });
      }
    }
  }
}

/** Top-level networks, volumes, secrets and configs. */
export function checkResourceValues(data: Dict, report: Report): void {
  for (const section of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    for (const [name, def] of Object.entries((data[section] as Dict | undefined) ?? {})) {
      if (!isPlainObject(def) || !def.external) continue;
      // An external resource is made elsewhere: settings for making it would be silently lost.
      // (Secrets' and configs' Swarm settings are refused only where a service uses them.)
      for (const key of section === 'networks' || section === 'volumes' ? ['driver', 'driver_opts', 'labels', 'ipam'] : []) {
        if (def[key] !== undefined) report({ path: [section, name, key], message: `cannot be set on an external ${section.slice(0, -1)}: it is created outside the project; remove ${key} or external` });
      }
      if (isPlainObject(def.external) && def.external.name !== undefined && def.name !== undefined && def.name !== def.external.name) {
        report({ path: [section, name, 'external', 'name'], message: `conflicts with name "${String(def.name)}": use only name (external.name is the obsolete form)` });
      }
    }
  }
  for (const section of ['secrets', 'configs'] as const) {
    for (const [name, def] of Object.entries((data[section] as Dict | undefined) ?? {})) {
      // Its content is kept by a Swarm, or made by a driver, as compose-go allows; a service that
      // uses it is refused at start, as docker compose refuses it (orchestrator/spec/service-files.ts).
      if (isPlainObject(def) && (def.external || def.driver !== undefined) && !SOURCES[section].keys.some((k) => def[k] !== undefined)) continue;
      const { keys, words } = SOURCES[section];
      const given = keys.filter((k) => isPlainObject(def) && def[k] !== undefined);
      if (given.length === 1) continue;
      report({ path: [section, name], message: given.length ? `sets ${given.join(' and ')}: set only one of ${words}` : `needs its content from ${words}` });
    }
  }
}
