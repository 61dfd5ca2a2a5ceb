// The health check a container runs, read from its inspected config. The engine merges the image's
// HEALTHCHECK into the container's config at create, so this is the check that actually runs,
// whether it came from the compose file or the image.
import type { ContainerHealthcheck } from '../runtime.js';

/** As the engine reports it: durations in nanoseconds. */
export interface EngineHealthcheck {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

const NS_PER_MS = 1e6;

/** Undefined when the container runs no check (none configured, or `NONE`). */
export function healthcheckOf(config: { Healthcheck?: EngineHealthcheck; Shell?: string[] } | undefined): ContainerHealthcheck | undefined {
  const h = config?.Healthcheck;
  if (!h?.Test?.length || h.Test[0] === 'NONE') return undefined;
  const ms = (ns?: number) => (ns ? ns / NS_PER_MS : undefined);
  const out: ContainerHealthcheck = { test: h.Test };
  const intervalMs = ms(h.Interval);
  const timeoutMs = ms(h.Timeout);
  const startPeriodMs = ms(h.StartPeriod);
  const startIntervalMs = ms(h.StartInterval);
  if (intervalMs) out.intervalMs = intervalMs;
  if (timeoutMs) out.timeoutMs = timeoutMs;
  if (h.Retries) out.retries = h.Retries;
  if (startPeriodMs) out.startPeriodMs = startPeriodMs;
  if (startIntervalMs) out.startIntervalMs = startIntervalMs;
  if (config?.Shell?.length) out.shell = config.Shell;
  return out;
}
