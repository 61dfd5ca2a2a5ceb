// Pure translation of a ContainerSpec into the engine's create-container body.
import type { ContainerCreateOptions } from 'dockerode';
import type { ContainerSpec, MountSpec, NetworkAttachment } from '../runtime.js';

const NS_PER_MS = 1_000_000;

export function containerCreateOptions(spec: ContainerSpec): ContainerCreateOptions {
  const [first] = spec.networks;
  const exposed: Record<string, object> = {};
  for (const p of spec.exposedPorts ?? []) exposed[`${p.port}/${p.protocol}`] = {};
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const b of spec.publish ?? []) {
    const key = `${b.containerPort}/${b.protocol}`;
    exposed[key] = {};
    (portBindings[key] ??= []).push({ HostIp: b.hostIp ?? '', HostPort: b.hostPort ?? '' });
  }

  // Legacy links only work on the default bridge; on a user-defined network they are endpoint links.
  const bridgeLinks = spec.networkMode === 'bridge';
  const binds = (spec.mounts ?? []).filter(isLegacyBind).map(bindText);
  // A mount, not a bind: a socket path missing on the engine's host fails instead of becoming a directory.
  const socket = spec.engineSocket ? [{ Type: 'bind' as const, Source: spec.engineSocket, Target: '/var/run/docker.sock' }] : [];
  const r = spec.resources ?? {};

  return {
    name: spec.name,
    // dockerode sends the options as the query too: this is the create call's `platform` parameter.
    ...(spec.platform ? { platform: spec.platform } : {}),
    Image: spec.image,
    Labels: spec.labels,
    Cmd: spec.command,
    Entrypoint: spec.entrypoint,
    Env: spec.env && Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Hostname: spec.hostname,
    Domainname: spec.domainname,
    WorkingDir: spec.workingDir,
    User: spec.user,
    Tty: spec.tty ?? false,
    OpenStdin: spec.openStdin ?? spec.stdinOnce ?? false,
    StdinOnce: spec.stdinOnce ?? false,
    AttachStdin: spec.stdinOnce ?? false,
    ExposedPorts: exposed,
    StopSignal: spec.stopSignal,
    // API 1.41 sets the MAC address on the container config (it applies to the first network).
    ...(spec.macAddress ? { MacAddress: spec.macAddress } : {}),
    StopTimeout: spec.stopTimeoutSeconds,
    Healthcheck: healthcheck(spec),
    HostConfig: {
      NetworkMode: spec.networkMode ?? first?.network,
      PortBindings: portBindings,
      Mounts: [...socket, ...(spec.mounts ?? []).filter((m) => !isLegacyBind(m)).map(mount)],
      Binds: binds.length ? binds : undefined,
      VolumesFrom: spec.volumesFrom,
      Tmpfs: spec.tmpfs,
      Init: spec.init,
      AutoRemove: spec.autoRemove,
      ReadonlyRootfs: spec.readOnly,
      Privileged: spec.privileged,
      CapAdd: spec.capAdd,
      CapDrop: spec.capDrop,
      ExtraHosts: spec.extraHosts,
      ShmSize: spec.shmSize,
      Sysctls: spec.sysctls,
      Ulimits: spec.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
      RestartPolicy: { Name: spec.restart && spec.restart !== 'no' ? spec.restart : '' },
      Memory: r.memoryBytes,
      MemoryReservation: r.memoryReservationBytes,
      NanoCpus: r.nanoCpus,
      CpuShares: r.cpuShares,
      PidsLimit: r.pidsLimit,
      CpuPeriod: r.cpuPeriod,
      CpuQuota: r.cpuQuota,
      CpuRealtimePeriod: r.cpuRealtimePeriod,
      CpuRealtimeRuntime: r.cpuRealtimeRuntime,
      CpusetCpus: r.cpusetCpus,
      MemorySwappiness: r.memorySwappiness,
      MemorySwap: r.memorySwapBytes,
      OomKillDisable: r.oomKillDisable,
      BlkioWeight: r.blkioWeight,
      BlkioWeightDevice: r.blkioWeightDevice?.map((d) => ({ Path: d.path, Weight: d.weight })),
      BlkioDeviceReadBps: r.blkioDeviceReadBps?.map(rate),
      BlkioDeviceWriteBps: r.blkioDeviceWriteBps?.map(rate),
      BlkioDeviceReadIOps: r.blkioDeviceReadIOps?.map(rate),
      BlkioDeviceWriteIOps: r.blkioDeviceWriteIOps?.map(rate),
      IpcMode: spec.ipcMode,
      PidMode: spec.pidMode,
      UTSMode: spec.utsMode,
      // Not in dockerode's typings; the engine has it since API 1.41.
      ...(spec.cgroupnsMode ? ({ CgroupnsMode: spec.cgroupnsMode } as object) : {}),
      CgroupParent: spec.cgroupParent,
      UsernsMode: spec.usernsMode,
      OomScoreAdj: spec.oomScoreAdj,
      StorageOpt: spec.storageOpt,
      Devices: spec.devices?.map((d) => ({ PathOnHost: d.pathOnHost, PathInContainer: d.pathInContainer, CgroupPermissions: d.cgroupPermissions })),
      DeviceCgroupRules: spec.deviceCgroupRules,
      Dns: spec.dns,
      DnsSearch: spec.dnsSearch,
      DnsOptions: spec.dnsOptions,
      SecurityOpt: spec.securityOpt,
      GroupAdd: spec.groupAdd,
      LogConfig: spec.logging && { Type: spec.logging.driver, Config: spec.logging.options },
      Runtime: spec.runtime,
      Links: bridgeLinks ? spec.links : undefined,
    },
    NetworkingConfig:
      first && !spec.networkMode ? { EndpointsConfig: { [first.network]: endpointConfig(spec, first) } } : undefined,
  };
}

/** One network attachment: its aliases, fixed addresses, and the service's links (they resolve only on a shared network). */
export function endpointConfig(spec: ContainerSpec, attach: NetworkAttachment): Record<string, unknown> {
  const ipam = {
    ...(attach.ipv4Address ? { IPv4Address: attach.ipv4Address } : {}),
    ...(attach.ipv6Address ? { IPv6Address: attach.ipv6Address } : {}),
    ...(attach.linkLocalIps?.length ? { LinkLocalIPs: attach.linkLocalIps } : {}),
  };
  return {
    Aliases: attach.aliases,
    ...(spec.links?.length ? { Links: spec.links } : {}),
    ...(Object.keys(ipam).length ? { IPAMConfig: ipam } : {}),
    ...(attach.driverOpts ? { DriverOpts: attach.driverOpts } : {}),
  };
}

const rate = (d: { path: string; rate: number }) => ({ Path: d.path, Rate: d.rate });

/**
 * Binds that create a missing host path or relabel it for SELinux exist only in the legacy `Binds`
 * form (the Mounts API refuses a missing source, and has no relabel option).
 */
function isLegacyBind(m: MountSpec): boolean {
  return m.type === 'bind' && !!(m.bind?.createHostPath || m.bind?.selinux);
}

function bindText(m: MountSpec): string {
  const options = [m.readOnly ? 'ro' : 'rw', m.bind?.selinux, m.bind?.propagation].filter(Boolean);
  return `${m.source ?? ''}:${m.target}:${options.join(',')}`;
}

type EngineMount = NonNullable<NonNullable<ContainerCreateOptions['HostConfig']>['Mounts']>[number];

function mount(m: MountSpec): EngineMount {
  const out: Record<string, unknown> = { Type: m.type, Source: m.source ?? '', Target: m.target, ReadOnly: m.readOnly ?? false };
  if (m.consistency) out.Consistency = m.consistency;
  if (m.type === 'bind' && m.bind?.propagation) out.BindOptions = { Propagation: m.bind.propagation };
  if (m.type === 'volume' && (m.volume?.noCopy || m.volume?.labels)) out.VolumeOptions = { ...(m.volume.noCopy ? { NoCopy: true } : {}), ...(m.volume.labels ? { Labels: m.volume.labels } : {}) };
  if (m.type === 'tmpfs' && (m.tmpfs?.sizeBytes !== undefined || m.tmpfs?.mode !== undefined)) {
    out.TmpfsOptions = { ...(m.tmpfs.sizeBytes !== undefined ? { SizeBytes: m.tmpfs.sizeBytes } : {}), ...(m.tmpfs.mode !== undefined ? { Mode: m.tmpfs.mode } : {}) };
  }
  // The typings demand every option field; the engine takes any subset.
  return out as unknown as EngineMount;
}
function healthcheck(spec: ContainerSpec): ContainerCreateOptions['Healthcheck'] {
  if (!spec.healthcheck) return undefined;
  if (spec.healthcheck === 'disabled') return { Test: ['NONE'] };
  const h = spec.healthcheck;
  const ns = (ms?: number) => (ms === undefined ? undefined : ms * NS_PER_MS);
  return {
    Test: h.test,
    Interval: ns(h.intervalMs),
    Timeout: ns(h.timeoutMs),
    Retries: h.retries,
    StartPeriod: ns(h.startPeriodMs),
    // StartInterval is API 1.44+; older engines ignore unknown fields.
    ...(h.startIntervalMs !== undefined ? { StartInterval: ns(h.startIntervalMs) } : {}),
  };
}
