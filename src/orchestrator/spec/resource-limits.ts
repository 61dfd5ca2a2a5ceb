// Pure: a service's cgroup limits and byte sizes as the engine wants them. The deploy section wins
// over the service-level keys, as in `docker compose up`.
import type { ServiceConfig } from '../../model/project.js';
import { parseBytes } from '../../model/compose-units.js';
import type { ResourceLimits } from '../../runtime/backend.js';

const NANO = 1e9;

export function resourceLimits(config: ServiceConfig): ResourceLimits | undefined {
  const limits = config.deploy?.resources?.limits ?? {};
  const reservations = config.deploy?.resources?.reservations ?? {};
  const bytes = (v?: string | number) => (v === undefined ? undefined : parseBytes(v));
  const cpus = limits.cpus ?? config.cpus;
  const out: ResourceLimits = {
    memoryBytes: bytes(limits.memory ?? config.mem_limit),
    memoryReservationBytes: bytes(reservations.memory ?? config.mem_reservation),
    nanoCpus: cpus === undefined ? undefined : Math.round(Number(cpus) * NANO),
    cpuShares: config.cpu_shares,
    pidsLimit: limits.pids ?? config.pids_limit,
    cpuPeriod: config.cpu_period,
    cpuQuota: config.cpu_quota,
    cpuRealtimePeriod: config.cpu_rt_period,
    cpuRealtimeRuntime: config.cpu_rt_runtime,
    cpusetCpus: config.cpuset,
    memorySwappiness: config.mem_swappiness,
    memorySwapBytes: bytes(config.memswap_limit),
    oomKillDisable: config.oom_kill_disable,
    ...blkio(config.blkio_config),
  };
  const set = Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as ResourceLimits;
  return Object.keys(set).length ? set : undefined;
}

type BlkioDevice = { path: string; rate?: string | number; weight?: number };

function blkio(b: ServiceConfig['blkio_config']): Partial<ResourceLimits> {
  if (!b) return {};
  const rates = (list?: BlkioDevice[]) => list?.map((d) => ({ path: d.path, rate: parseBytes(d.rate ?? 0) }));
  return {
    blkioWeight: b.weight,
    blkioWeightDevice: b.weight_device?.map((d) => ({ path: d.path, weight: d.weight ?? 0 })),
    blkioDeviceReadBps: rates(b.device_read_bps),
    blkioDeviceWriteBps: rates(b.device_write_bps),
    blkioDeviceReadIOps: rates(b.device_read_iops),
    blkioDeviceWriteIOps: rates(b.device_write_iops),
  };
}
