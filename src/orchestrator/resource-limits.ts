// Pure: a service's cgroup limits and byte sizes as the engine wants them. The deploy section wins
// over the service-level keys, as in `docker compose up`.
import type { ServiceConfig } from '../model/project.js';
import type { ResourceLimits } from '../runtime/runtime.js';

const BYTE_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `64m`, `1.5g`, `512kb`, `100` (bytes). The loader has checked the form. */
export function parseBytes(size: string | number): number {
  if (typeof size === 'number') return size;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg])?b?$/i.exec(size.trim());
  return m ? Math.round(Number(m[1]) * BYTE_UNITS[(m[2] ?? 'b').toLowerCase()]!) : Number(size);
}

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
  };
  const set = Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as ResourceLimits;
  return Object.keys(set).length ? set : undefined;
}
