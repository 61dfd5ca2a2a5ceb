// Pure translation of a ContainerSpec into the engine's create-container body.
import type { ContainerCreateOptions } from 'dockerode';
import type { ContainerSpec } from '../runtime.js';

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

  return {
    name: spec.name,
    Image: spec.image,
    Labels: spec.labels,
    Cmd: spec.command,
    Entrypoint: spec.entrypoint,
    Env: spec.env && Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Hostname: spec.hostname,
    WorkingDir: spec.workingDir,
    User: spec.user,
    Tty: spec.tty ?? false,
    OpenStdin: spec.openStdin ?? spec.stdinOnce ?? false,
    StdinOnce: spec.stdinOnce ?? false,
    AttachStdin: spec.stdinOnce ?? false,
    ExposedPorts: exposed,
    StopSignal: spec.stopSignal,
    Healthcheck: healthcheck(spec),
    HostConfig: {
      NetworkMode: spec.networkMode ?? first?.network,
      PortBindings: portBindings,
      Mounts: (spec.mounts ?? []).map((m) => ({
        Type: m.type,
        Source: m.source ?? '',
        Target: m.target,
        ReadOnly: m.readOnly ?? false,
      })),
      Binds: spec.engineSocket ? ['/var/run/docker.sock:/var/run/docker.sock'] : undefined,
      VolumesFrom: spec.volumesFrom,
      Tmpfs: spec.tmpfs,
      Init: spec.init,
      ReadonlyRootfs: spec.readOnly,
      Privileged: spec.privileged,
      CapAdd: spec.capAdd,
      CapDrop: spec.capDrop,
      ExtraHosts: spec.extraHosts,
      ShmSize: spec.shmSize,
      Sysctls: spec.sysctls,
      Ulimits: spec.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
      RestartPolicy: { Name: spec.restart && spec.restart !== 'no' ? spec.restart : '' },
    },
    NetworkingConfig:
      first && !spec.networkMode ? { EndpointsConfig: { [first.network]: { Aliases: first.aliases } } } : undefined,
  };
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
