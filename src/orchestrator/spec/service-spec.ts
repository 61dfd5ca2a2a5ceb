// Pure: one normalized compose service → the container the runtime should create for a run.
// Names derive from the run id so parallel runs of one project never collide; a fixed
// container_name survives as a DNS alias, which is how other services reach it anyway.
import { parseDuration } from '../../model/duration.js';
import type { ServiceConfig, VolumeMount } from '../../model/project.js';
import { containerLabels, LABEL } from '../../runtime/labels.js';
import type { ServiceTemplate, HealthcheckSpec, MountSpec, PortBinding } from '../../runtime/backend.js';
import { modeBits, parseBytes } from '../../model/compose-units.js';
import { preStopLabels } from '../lifecycle/lifecycle-hooks.js';
import { readOnlyFilePlan } from './read-only-files.js';
import { resourceLimits } from './resource-limits.js';

export interface RunContext {
  runId: string;
  project: string;
  /** compose network key → this run's network name. */
  networks: Record<string, string>;
  /** compose volume key → this run's volume name. */
  volumes: Record<string, string>;
  /** Container ids of services already created (the first replica), for `network_mode: service:x`, volumes_from and links. */
  containerIds: Record<string, string>;
  /** Container names of services already created (the first replica), for links. */
  containerNames?: Record<string, string>;
  /** `free`: the engine picks host ports; `declared`: the ports as written in the file. */
  publish?: 'free' | 'declared';
  /** Added to every container, network and volume of the run. */
  extraLabels: Record<string, string>;
}

/** A replicated service's containers end in `-<n>`, as compose names them; a single one keeps the plain name. */
export function containerName(runId: string, project: string, service: string, replica?: number): string {
  return `${project}-${runId}-${service}${replica === undefined ? '' : `-${replica}`}`;
}

/** `replica`: the number of this container among the service's replicas, when it has more than one. */
export function serviceContainerSpec(service: string, config: ServiceConfig, image: string, ctx: RunContext, replica?: number): ServiceTemplate {
  const aliases = [service, ...(config.container_name ? [config.container_name] : []), ...(config.hostname ? [config.hostname] : [])];
  const networkMode = networkModeFor(config, ctx);
  return {
    name: containerName(ctx.runId, ctx.project, service, replica),
    image,
    labels: { ...config.labels, ...ctx.extraLabels, ...containerLabels(ctx.runId, ctx.project, 'service', service), [LABEL.replica]: String(replica ?? 1), ...preStopLabels(config.pre_stop) },
    command: config.command ?? undefined,
    entrypoint: config.entrypoint ?? undefined,
    env: definedEnv(config.environment),
    hostname: config.hostname,
    domainname: config.domainname,
    platform: config.platform,
    workingDir: config.working_dir,
    user: config.user,
    networkMode,
    networks: networkMode
      ? []
      : Object.entries(config.networks ?? { default: null })
          // The highest priority is connected first (the create call's own network), as in Compose.
          .sort(([, a], [, b]) => (b?.priority ?? 0) - (a?.priority ?? 0))
          .map(([key, attach]) => ({
            network: ctx.networks[key] ?? key,
            aliases: [...new Set([...aliases, ...(attach?.aliases ?? [])])],
            ...(attach?.ipv4_address ? { ipv4Address: attach.ipv4_address } : {}),
            ...(attach?.ipv6_address ? { ipv6Address: attach.ipv6_address } : {}),
            ...(attach?.link_local_ips ? { linkLocalIps: attach.link_local_ips } : {}),
            ...(attach?.driver_opts ? { driverOpts: stringValues(attach.driver_opts) } : {}),
          })),
    ipcMode: namespace(config.ipc, ctx),
    pidMode: namespace(config.pid, ctx),
    utsMode: config.uts,
    cgroupnsMode: config.cgroup,
    cgroupParent: config.cgroup_parent,
    macAddress: config.mac_address,
    usernsMode: config.userns_mode,
    oomScoreAdj: config.oom_score_adj,
    storageOpt: config.storage_opt,
    devices: config.devices?.map((d) => ({ pathOnHost: d.source, pathInContainer: d.target, cgroupPermissions: d.permissions })),
    deviceCgroupRules: config.device_cgroup_rules,
    healthcheck: healthcheck(config),
    exposedPorts: [
      ...(config.expose ?? []).map((e) => parsePortProtocol(e)),
      ...(config.ports ?? []).map((p) => ({ port: p.target, protocol: p.protocol || 'tcp' })),
    ],
    publish: ctx.publish ? (config.ports ?? []).map((p) => publishBinding(p, ctx.publish!)) : undefined,
    mounts: [
      ...(config.volumes ?? []).map((v) => mount(v, ctx)),
      // A read-only root takes secrets and configs only through volumes (read-only-files.ts).
      ...readOnlyFilePlan(config).volumes.map((target): MountSpec => ({ type: 'volume', target, volume: { labels: { ...ctx.extraLabels, ...containerLabels(ctx.runId, ctx.project, 'service', service) } } })),
    ],
    volumesFrom: (config.volumes_from ?? []).map((v) => {
      const [source, mode] = v.split(':');
      if (source === 'container') return v.slice('container:'.length);
      const id = ctx.containerIds[source!] ?? source!;
      return mode ? `${id}:${mode}` : id;
    }),
    tmpfs: Object.fromEntries((config.tmpfs ?? []).map((t) => [t.split(':')[0]!, t.split(':').slice(1).join(':')])),
    tty: config.tty,
    openStdin: config.stdin_open,
    init: config.init,
    readOnly: config.read_only,
    privileged: config.privileged,
    capAdd: config.cap_add,
    capDrop: config.cap_drop,
    extraHosts: extraHosts(config.extra_hosts),
    stopSignal: config.stop_signal,
    stopTimeoutSeconds: stopTimeout(config.stop_grace_period),
    shmSize: config.shm_size === undefined ? undefined : parseBytes(config.shm_size),
    resources: resourceLimits(config),
    dns: config.dns,
    dnsSearch: config.dns_search,
    dnsOptions: config.dns_opt,
    securityOpt: config.security_opt,
    groupAdd: config.group_add?.map(String),
    logging: config.logging && {
      driver: config.logging.driver ?? '', // empty: the engine's default driver
      options: Object.fromEntries(Object.entries(config.logging.options ?? {}).flatMap(([k, v]) => (v === null ? [] : [[k, String(v)]]))),
    },
    runtime: config.runtime,
    links: config.links?.map((l) => link(l, ctx)),
    sysctls: config.sysctls,
    ulimits: ulimits(config.ulimits),
    restart: config.restart,
    placement: placement(config),
  };
}

/**
 * The swarm keys of `deploy:` (left untyped by the model: one engine ignores them, a swarm honours
 * them). Not replicas: the orchestrator makes one spec per replica, and a swarm runs each as a service.
 */
function placement(config: ServiceConfig): ServiceTemplate['placement'] {
  const d = (config.deploy ?? {}) as Record<string, unknown>;
  const where = d.placement && typeof d.placement === 'object' ? (d.placement as NonNullable<ServiceTemplate['placement']>['placement']) : undefined;
  const mode = d.endpoint_mode === 'dnsrr' || d.endpoint_mode === 'vip' ? (d.endpoint_mode as 'dnsrr' | 'vip') : undefined;
  const cpus = (config.deploy?.resources?.reservations as { cpus?: number | string } | undefined)?.cpus;
  const out = {
    ...(where ? { placement: where } : {}),
    ...(mode ? { endpoint_mode: mode } : {}),
    ...(cpus !== undefined ? { reservations: { nanoCpus: Math.round(Number(cpus) * 1e9) } } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

function networkModeFor(config: ServiceConfig, ctx: RunContext): string | undefined {
  const mode = config.network_mode;
  if (!mode) return undefined;
  if (mode.startsWith('service:')) {
    const target = mode.slice('service:'.length);
    return `container:${ctx.containerIds[target] ?? target}`;
  }
  return mode;
}

/** `service:x` (ipc, pid) joins the namespace of this run's container of service x. */
function namespace(mode: string | undefined, ctx: RunContext): string | undefined {
  if (!mode?.startsWith('service:')) return mode;
  const target = mode.slice('service:'.length);
  return `container:${ctx.containerIds[target] ?? containerName(ctx.runId, ctx.project, target)}`;
}

const stringValues = (m: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(m).flatMap(([k, v]) => (v === null || v === undefined ? [] : [[k, String(v)]])));

/** `KEY: null` in compose means "not set": the variable is left out, not passed empty. */
function definedEnv(env: ServiceConfig['environment']): Record<string, string> | undefined {
  if (!env) return undefined;
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== null && e[1] !== undefined));
}

function healthcheck(config: ServiceConfig): ServiceTemplate['healthcheck'] {
  const h = config.healthcheck;
  if (!h) return undefined;
  if (h.disable || h.test?.[0] === 'NONE') return 'disabled';
  const ms = (d?: string) => (d === undefined ? undefined : parseDuration(d));
  const spec: HealthcheckSpec = {
    test: h.test ?? [],
    intervalMs: ms(h.interval),
    timeoutMs: ms(h.timeout),
    retries: h.retries,
    startPeriodMs: ms(h.start_period),
    startIntervalMs: ms(h.start_interval),
  };
  return spec;
}

function mount(v: VolumeMount, ctx: RunContext): MountSpec {
  const type = v.type === 'bind' || v.type === 'tmpfs' ? v.type : 'volume';
  const source = type === 'volume' && v.source ? (ctx.volumes[v.source] ?? v.source) : v.source;
  const spec: MountSpec = { type, source, target: v.target, readOnly: v.read_only };
  if (v.consistency) spec.consistency = v.consistency;
  if (type === 'bind' && v.bind) {
    spec.bind = { propagation: v.bind.propagation, createHostPath: v.bind.create_host_path, selinux: v.bind.selinux as 'z' | 'Z' | undefined };
  }
  if (type === 'volume' && v.volume?.nocopy) spec.volume = { noCopy: true };
  if (type === 'tmpfs' && v.tmpfs) spec.tmpfs = { sizeBytes: v.tmpfs.size === undefined ? undefined : parseBytes(v.tmpfs.size), mode: v.tmpfs.mode === undefined ? undefined : modeBits(v.tmpfs.mode) };
  return spec;
}

/** `db:database` (or `db`): the alias, on this container's networks, of the run's `db` container. */
function link(entry: string, ctx: RunContext): string {
  const [service, alias] = entry.split(':') as [string, string?];
  return `${ctx.containerNames?.[service] ?? containerName(ctx.runId, ctx.project, service)}:${alias ?? service}`;
}

/** Compose's stop_grace_period in whole seconds, rounded up so a short grace never becomes none. */
function stopTimeout(period?: string): number | undefined {
  const ms = period === undefined ? undefined : parseDuration(period);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}

function publishBinding(p: NonNullable<ServiceConfig['ports']>[number], mode: 'free' | 'declared'): PortBinding {
  // By default host ports are not taken as written: parallel runs would collide on them.
  return { containerPort: p.target, protocol: p.protocol || 'tcp', hostIp: p.host_ip, hostPort: mode === 'declared' ? (p.published ?? '') : '' };
}

function parsePortProtocol(text: string): { port: number; protocol: string } {
  const [port, protocol] = String(text).split('/');
  return { port: Number(port), protocol: protocol ?? 'tcp' };
}

function extraHosts(hosts: ServiceConfig['extra_hosts']): string[] | undefined {
  if (!hosts) return undefined;
  if (Array.isArray(hosts)) return hosts.map((h) => h.replace('=', ':'));
  return Object.entries(hosts).flatMap(([host, ip]) => (Array.isArray(ip) ? ip : [ip]).map((i) => `${host}:${i}`));
}

function ulimits(limits: ServiceConfig['ulimits']): ServiceTemplate['ulimits'] {
  if (!limits) return undefined;
  return Object.entries(limits).map(([name, v]) =>
    typeof v === 'number' ? { name, soft: v, hard: v } : { name, soft: Number((v as { soft: number }).soft), hard: Number((v as { hard: number }).hard) },
  );
}
