// Pure: one service's container template (the same ContainerSpec the Docker backend creates) plus
// its deploy section → the swarm ServiceSpec that runs it as replicated tasks. What a swarm task
// cannot do the way a container does is named by compose key (`leftOutOfSwarm`), so the orchestrator says so.
import { LABEL } from '../labels.js';
import type { ContainerSpec, MountSpec, NetworkAttachment, Placement, ResourceLimits } from '../runtime.js';

const NS_PER_MS = 1_000_000;

/** A file copied into every task: a swarm config, made per run, mounted at `target`. */
export interface SwarmFile {
  configId: string;
  configName: string;
  target: string;
  mode: number;
}

export interface SwarmServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: Record<string, unknown> & { ContainerSpec: Record<string, unknown> };
  Mode: { Replicated: { Replicas: number } };
  EndpointSpec: { Mode: 'vip' | 'dnsrr' };
}

/** ContainerSpec keys a swarm service cannot carry, by the compose key a user wrote. */
const NOT_IN_SWARM: Partial<Record<keyof ContainerSpec, string>> = {
  privileged: 'privileged', devices: 'devices', deviceCgroupRules: 'device_cgroup_rules', networkMode: 'network_mode', ipcMode: 'ipc',
  pidMode: 'pid', utsMode: 'uts', cgroupnsMode: 'cgroup', cgroupParent: 'cgroup_parent', macAddress: 'mac_address', usernsMode: 'userns_mode',
  oomScoreAdj: 'oom_score_adj', storageOpt: 'storage_opt', volumesFrom: 'volumes_from', links: 'links', shmSize: 'shm_size', runtime: 'runtime',
  platform: 'platform', domainname: 'domainname', securityOpt: 'security_opt', publish: 'ports',
  // Never set on a service by envtest (the reaper's and helpers' keys), named in case one ever is.
  engineSocket: 'engine socket', autoRemove: 'auto remove', stdinOnce: 'stdin once',
};

/** Resource limits a swarm task has no field for (it carries cpus, memory, memory reservation and pids). */
const RESOURCES_NOT_IN_SWARM: Partial<Record<keyof ResourceLimits, string>> = {
  cpuShares: 'cpu_shares', cpuPeriod: 'cpu_period', cpuQuota: 'cpu_quota', cpuRealtimePeriod: 'cpu_rt_period', cpuRealtimeRuntime: 'cpu_rt_runtime',
  cpusetCpus: 'cpuset', memorySwappiness: 'mem_swappiness', memorySwapBytes: 'memswap_limit', oomKillDisable: 'oom_kill_disable',
  blkioWeight: 'blkio_config', blkioWeightDevice: 'blkio_config', blkioDeviceReadBps: 'blkio_config', blkioDeviceWriteBps: 'blkio_config',
  blkioDeviceReadIOps: 'blkio_config', blkioDeviceWriteIOps: 'blkio_config',
};

/** A network attachment's keys a swarm task cannot carry (its attachment has a target and aliases only). */
const ATTACHMENT_NOT_IN_SWARM: Partial<Record<keyof NetworkAttachment, string>> = {
  ipv4Address: 'networks.ipv4_address', ipv6Address: 'networks.ipv6_address', linkLocalIps: 'networks.link_local_ips', driverOpts: 'networks.driver_opts',
};

/**
 * What of a service a swarm task cannot carry, by compose key, each once: the task runs without it,
 * so the orchestrator warns about each (BackendLimits.leftOut) instead of dropping it silently.
 */
export function leftOutOfSwarm(spec: ContainerSpec): string[] {
  const keys = [
    ...presentKeys(spec, NOT_IN_SWARM),
    ...presentKeys(spec.resources ?? {}, RESOURCES_NOT_IN_SWARM),
    ...spec.networks.flatMap((n) => presentKeys(n, ATTACHMENT_NOT_IN_SWARM)),
  ];
  // Swarm restarts by its own policy, which envtest pins to `none` so a crash is seen.
  if (spec.restart && spec.restart !== 'no') keys.push('restart');
  if (spec.healthcheck && spec.healthcheck !== 'disabled' && spec.healthcheck.startIntervalMs !== undefined) keys.push('healthcheck.start_interval');
  if (Object.values(spec.tmpfs ?? {}).some(Boolean)) keys.push('tmpfs options');
  return [...new Set(keys)];
}

function presentKeys<T extends object>(o: T, names: Partial<Record<keyof T, string>>): string[] {
  return (Object.keys(names) as (keyof T)[]).filter((k) => present(o[k])).map((k) => names[k]!);
}

export function swarmServiceSpec(spec: ContainerSpec, files: SwarmFile[] = []): { spec: SwarmServiceSpec; ignored: string[] } {
  const deploy: Placement = spec.placement ?? {};
  const ignored = leftOutOfSwarm(spec);
  const r = spec.resources ?? {};
  const container: Record<string, unknown> = {
    Image: spec.image,
    // On the task's container too: every node's containers are found by the run's label.
    Labels: spec.labels,
    // Swarm's Command is the entrypoint and Args the command, as in `docker service create`.
    ...(spec.entrypoint ? { Command: spec.entrypoint } : {}),
    ...(spec.command ? { Args: spec.command } : {}),
    ...(spec.hostname ? { Hostname: spec.hostname } : {}),
    ...(spec.env ? { Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`) } : {}),
    ...(spec.workingDir ? { Dir: spec.workingDir } : {}),
    ...(spec.user ? { User: spec.user } : {}),
    ...(spec.groupAdd?.length ? { Groups: spec.groupAdd } : {}),
    ...(spec.tty ? { TTY: true } : {}),
    ...(spec.openStdin ? { OpenStdin: true } : {}),
    ...(spec.readOnly ? { ReadOnly: true } : {}),
    ...(spec.init !== undefined ? { Init: spec.init } : {}),
    ...(spec.stopSignal ? { StopSignal: spec.stopSignal } : {}),
    ...(spec.stopTimeoutSeconds !== undefined ? { StopGracePeriod: spec.stopTimeoutSeconds * 1000 * NS_PER_MS } : {}),
    ...(spec.capAdd?.length ? { CapabilityAdd: spec.capAdd } : {}),
    ...(spec.capDrop?.length ? { CapabilityDrop: spec.capDrop } : {}),
    ...(spec.sysctls ? { Sysctls: spec.sysctls } : {}),
    ...(spec.ulimits?.length ? { Ulimits: spec.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })) } : {}),
    ...(spec.extraHosts?.length ? { Hosts: spec.extraHosts.map(hostsLine) } : {}),
    ...(spec.dns || spec.dnsSearch || spec.dnsOptions ? { DNSConfig: { Nameservers: spec.dns, Search: spec.dnsSearch, Options: spec.dnsOptions } } : {}),
    ...(spec.healthcheck ? { Healthcheck: healthCheck(spec.healthcheck) } : {}),
    ...(spec.mounts?.length || spec.tmpfs ? { Mounts: [...(spec.mounts ?? []).map((m) => mount(m, spec.labels)), ...tmpfsMounts(spec.tmpfs)] } : {}),
    ...(files.length
      ? { Configs: files.map((f) => ({ ConfigID: f.configId, ConfigName: f.configName, File: { Name: f.target, UID: '0', GID: '0', Mode: f.mode } })) }
      : {}),
  };
  const placement = deploy.placement;
  const limits = { NanoCPUs: r.nanoCpus, MemoryBytes: r.memoryBytes, Pids: r.pidsLimit };
  const reservations = { NanoCPUs: deploy.reservations?.nanoCpus, MemoryBytes: deploy.reservations?.memoryBytes ?? r.memoryReservationBytes };
  const taskTemplate: SwarmServiceSpec['TaskTemplate'] = {
    ContainerSpec: container,
    // A crash must be seen, not hidden by a reschedule (the same reason Docker runs get restart: no).
    RestartPolicy: { Condition: 'none' },
    Networks: spec.networks.map((n) => ({ Target: n.network, Aliases: n.aliases })),
    ...(defined(limits) || defined(reservations) ? { Resources: { ...(defined(limits) ? { Limits: clean(limits) } : {}), ...(defined(reservations) ? { Reservations: clean(reservations) } : {}) } } : {}),
    ...(placement
      ? {
          Placement: {
            ...(placement.constraints?.length ? { Constraints: placement.constraints } : {}),
            ...(placement.preferences?.length ? { Preferences: placement.preferences.flatMap((p) => (p.spread ? [{ Spread: { SpreadDescriptor: p.spread } }] : [])) } : {}),
            ...(placement.max_replicas_per_node ? { MaxReplicas: placement.max_replicas_per_node } : {}),
          },
        }
      : {}),
    ...(spec.logging?.driver ? { LogDriver: { Name: spec.logging.driver, Options: spec.logging.options } } : {}),
  };
  return {
    spec: {
      Name: spec.name,
      Labels: spec.labels,
      TaskTemplate: taskTemplate,
      Mode: { Replicated: { Replicas: deploy.replicas ?? 1 } },
      // DNS round robin unless `vip` is asked for: names resolve to the tasks themselves, as they resolve
      // to containers on Docker, and no kernel IPVS is needed on the nodes (nested engines often lack it).
      EndpointSpec: { Mode: deploy.endpoint_mode ?? 'dnsrr' },
    },
    ignored,
  };
}

function healthCheck(h: NonNullable<ContainerSpec['healthcheck']>): Record<string, unknown> {
  if (h === 'disabled') return { Test: ['NONE'] };
  const ns = (ms?: number) => (ms === undefined ? undefined : ms * NS_PER_MS);
  return clean({ Test: h.test, Interval: ns(h.intervalMs), Timeout: ns(h.timeoutMs), Retries: h.retries, StartPeriod: ns(h.startPeriodMs) });
}

function mount(m: MountSpec, labels: Record<string, string>): Record<string, unknown> {
  return clean({
    Type: m.type,
    Source: m.source || undefined,
    Target: m.target,
    ReadOnly: m.readOnly,
    // A volume is created on whichever node runs the task: labelled there, so teardown finds it on that node.
    ...(m.type === 'volume' ? { VolumeOptions: clean({ NoCopy: m.volume?.noCopy, Labels: runOnly(labels) }) } : {}),
    ...(m.type === 'bind' && m.bind?.propagation ? { BindOptions: { Propagation: m.bind.propagation } } : {}),
    ...(m.type === 'tmpfs' && m.tmpfs ? { TmpfsOptions: clean({ SizeBytes: m.tmpfs.sizeBytes, Mode: m.tmpfs.mode }) } : {}),
  });
}

function tmpfsMounts(tmpfs: ContainerSpec['tmpfs']): Record<string, unknown>[] {
  return Object.keys(tmpfs ?? {}).map((target) => ({ Type: 'tmpfs', Target: target }));
}

/** The run's labels, not the service's: a named volume is shared by the services that mount it. */
function runOnly(labels: Record<string, string>): Record<string, string> {
  const perContainer: string[] = [LABEL.service, LABEL.role, LABEL.replica];
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !perContainer.includes(k)));
}

/** Docker's `host:ip` → the hosts-file line `ip host` a swarm ContainerSpec takes. */
function hostsLine(entry: string): string {
  const at = entry.indexOf(':');
  return `${entry.slice(at + 1)} ${entry.slice(0, at)}`;
}

function present(v: unknown): boolean {
  if (v === undefined || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && v !== null) return Object.keys(v).length > 0;
  return true;
}

function defined(o: Record<string, unknown>): boolean {
  return Object.values(o).some((v) => v !== undefined);
}

function clean<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * One of envtest's own tasks on every node, on the run's networks: labels on the service and on its
 * tasks' containers (the per-node sweep finds those), and restart condition none, so a task that
 * exits is done rather than rescheduled.
 */
export function nodeHelperService(name: string, labels: Record<string, string>, image: string, command: string[], networks: string[]): Record<string, unknown> {
  return {
    Name: name,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: { Image: image, Command: command, Labels: labels },
      Networks: networks.map((Target) => ({ Target })),
      RestartPolicy: { Condition: 'none' },
    },
    // Global, not GlobalJob: a job's containers outlive its removed service on each node (and one
    // removed while still preparing left the node's copy of the overlay behind).
    Mode: { Global: {} },
  };
}
