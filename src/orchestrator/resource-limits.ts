// Pure: a service's cgroup limits and byte sizes as the engine wants them. The deploy section wins
// over the service-level keys, as in `docker compose up`.
import type { ServiceConfig } from '../model/project.js';
import { parseBytes } from '../model/compose-units.js';
import type { ResourceLimits } from '../runtime/runtime.js';

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
