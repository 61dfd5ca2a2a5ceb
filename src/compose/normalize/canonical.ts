// Rewrites a service's list-or-map and short-syntax fields into one form per field, per file and
// before merging, so the merge rules can work by key (environment by name, volumes by target,
// ports by mapping) and syntax errors still point at the file and line that has them.
import type { PortConfig, VolumeMount } from '../../model/project.js';
import { isPlainObject, type KeyPath } from '../key-path.js';
import { exposeProblem, parsePortShort, PortSyntaxError, publishedProblem, targetProblem } from './ports.js';
import { parseVolumeShort, VolumeSyntaxError } from './volumes.js';

export type Report = (path: KeyPath, message: string) => void;
type Service = Record<string, unknown>;

/** `KEY=VAL` lists become maps; `KEY` alone maps to null (resolved from the environment later). */
export function listToMap(value: unknown, separator = '='): Record<string, unknown> {
  if (!Array.isArray(value)) return { ...(value as Record<string, unknown>) };
  const out: Record<string, unknown> = {};
  for (const item of value) {
    const text = String(item);
    const at = text.indexOf(separator);
    if (at < 0) out[text] = null;
    else out[text.slice(0, at)] = text.slice(at + 1);
  }
  return out;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function checkListEntry(item: string, at: KeyPath, report: Report): void {
  const eq = item.indexOf('=');
  const name = eq < 0 ? item : item.slice(0, eq);
  // `=x` would become a variable with an empty name, which no process can read.
  if (name === '') report(at, `"${item}" has no name before "="; write NAME=value`);
  else if (/\s/.test(name)) report(at, `"${item}": the name "${name}" holds a space; write NAME=value with no space around "="`);
}

/**
 * extra_hosts to sorted `host=ip` entries (compose-go's rendering): `host:ip`, `host=ip`,
 * `host=ip1,ip2` and `{host: ip | [ip, ...]}`.
 */
function hostList(hosts: unknown, at: KeyPath, report: Report): string[] {
  const pairs: [string, string][] = [];
  if (isPlainObject(hosts)) {
    for (const [host, ips] of Object.entries(hosts)) for (const ip of asList(ips)) pairs.push([host, String(ip ?? '')]);
  } else {
    asList(hosts).forEach((entry, i) => {
      const text = String(entry);
      const sep = text.includes('=') ? '=' : ':';
      const cut = text.indexOf(sep);
      if (cut < 0) return report([...at, i], `"${text}" has no address: write host=ip (or host:ip)`);
      for (const ip of text.slice(cut + 1).split(',')) pairs.push([text.slice(0, cut), ip]);
    });
  }
  return pairs.map(([h, ip]) => `${h}=${ip}`).sort();
}

export function canonicalService(service: Service, path: KeyPath, report: Report): Service {
  const s: Service = { ...service };
  for (const key of ['environment', 'labels', 'sysctls'] as const) {
    if (s[key] === undefined) continue;
    // `=x` would become a variable with an empty name, which no process can read.
    if (Array.isArray(s[key])) s[key].forEach((item, i) => checkListEntry(String(item), [...path, key, i], report));
    s[key] = listToMap(s[key]);
  }
  for (const hooks of ['post_start', 'pre_stop'] as const) {
    if (!Array.isArray(s[hooks])) continue;
    s[hooks] = s[hooks].map((h: unknown, i) => {
      if (!isPlainObject(h) || h.environment === undefined) return h;
      if (Array.isArray(h.environment)) h.environment.forEach((item, j) => checkListEntry(String(item), [...path, hooks, i, 'environment', j], report));
      return { ...h, environment: listToMap(h.environment) };
    });
  }
  if (typeof s.build === 'string') s.build = { context: s.build };
  if (isPlainObject(s.build)) {
    const b = { ...s.build };
    if (b.args !== undefined) b.args = listToMap(b.args);
    if (b.labels !== undefined) b.labels = listToMap(b.labels);
    if (b.extra_hosts !== undefined) b.extra_hosts = hostList(b.extra_hosts, [...path, 'build', 'extra_hosts'], report);
    s.build = b;
  }
  // Swarm-only and ignored, but printed as compose-go prints it: a map.
  if (isPlainObject(s.deploy) && s.deploy.labels !== undefined) s.deploy = { ...s.deploy, labels: listToMap(s.deploy.labels) };
  if (Array.isArray(s.depends_on)) {
    s.depends_on = Object.fromEntries(s.depends_on.map((name) => [name, { condition: 'service_started', required: true, restart: false }]));
  }
  // The long form's defaults are filled after merging (dependencies.ts).
  if (Array.isArray(s.networks)) s.networks = Object.fromEntries(s.networks.map((n) => [n, null]));
  for (const key of ['dns', 'dns_search', 'tmpfs'] as const) if (typeof s[key] === 'string') s[key] = [s[key]];
  // `dns: ${UNSET}` interpolates to nothing: no entry rather than an empty server name.
  for (const key of ['dns', 'dns_search', 'dns_opt'] as const) {
    if (!Array.isArray(s[key])) continue;
    s[key] = s[key].filter((v) => v !== '');
    if (!(s[key] as unknown[]).length) delete s[key];
  }
  if (s.expose !== undefined) {
    s.expose = asList(s.expose).map(String);
    (s.expose as string[]).forEach((e, i) => {
      const problem = exposeProblem(e);
      if (problem) report([...path, 'expose', i], problem);
    });
  }
  if (s.extra_hosts !== undefined) s.extra_hosts = hostList(s.extra_hosts, [...path, 'extra_hosts'], report);
  if (s.env_file !== undefined) {
    s.env_file = asList(s.env_file).map((e) => (typeof e === 'string' ? { path: e, required: true } : { required: true, ...(e as object) }));
  }
  for (const key of ['secrets', 'configs'] as const) {
    if (Array.isArray(s[key])) s[key] = s[key].map((r) => (typeof r === 'string' ? { source: r } : r));
  }
  if (Array.isArray(s.devices)) s.devices = s.devices.flatMap((d, i) => canonicalDevice(d, [...path, 'devices', i], report));
  if (typeof s.label_file === 'string') s.label_file = [s.label_file];
  if (Array.isArray(s.ports)) s.ports = canonicalPorts(s.ports, [...path, 'ports'], report);
  if (Array.isArray(s.volumes)) s.volumes = canonicalVolumes(s.volumes, [...path, 'volumes'], report);
  return s;
}

/** `host[:container[:permissions]]` to compose-go's long form; the target defaults to the source, permissions to rwm. */
function canonicalDevice(d: unknown, at: KeyPath, report: Report): Record<string, unknown>[] {
  if (typeof d !== 'string') return [{ permissions: 'rwm', ...(d as object), target: (d as { target?: string; source: string }).target ?? (d as { source: string }).source }];
  const parts = d.split(':');
  if (parts.length > 3) {
    report(at, `"${d}" has more than three ":"-separated parts; use the long form {source, target, permissions}`);
    return [];
  }
  const [source, target, permissions] = parts as [string, string?, string?];
  return [{ source, target: target || source, permissions: permissions ?? 'rwm' }];
}

function canonicalPorts(ports: unknown[], path: KeyPath, report: Report): PortConfig[] {
  return ports.flatMap((p, i) => {
    if (typeof p === 'string' || typeof p === 'number') {
      try {
        return parsePortShort(p);
      } catch (e) {
        if (!(e instanceof PortSyntaxError)) throw e;
        report([...path, i], e.message);
        return [];
      }
    }
    const long = { ...(p as Record<string, unknown>) };
    if (long.published !== undefined) long.published = String(long.published);
    for (const problem of [targetProblem(long.target), long.published === undefined ? undefined : publishedProblem(long.published as string)]) {
      if (problem) report([...path, i], problem);
    }
    return [{ mode: 'ingress', protocol: 'tcp', ...long } as PortConfig];
  });
}

function canonicalVolumes(volumes: unknown[], path: KeyPath, report: Report): VolumeMount[] {
  return volumes.flatMap((v, i) => {
    if (typeof v !== 'string') return [v as VolumeMount];
    try {
      return [parseVolumeShort(v)];
    } catch (e) {
      if (!(e instanceof VolumeSyntaxError)) throw e;
      report([...path, i], e.message);
      return [];
    }
  });
}

/** Canonical forms for a whole file's services. */
export function canonicalFile(data: Record<string, unknown>, report: Report): Record<string, unknown> {
  if (!isPlainObject(data.services)) return data;
  const services = Object.fromEntries(
    Object.entries(data.services).map(([name, svc]) => [name, canonicalService(svc as Service, ['services', name], report)]),
  );
  return { ...data, services };
}
