// Attaches to each failed check the log lines of the services behind its target around the failure.
// They come from the run's own logs folder; an attached run, whose logs another process followed,
// asks the engine for the lines since the earliest failure instead.
import { CORRELATION_MARGIN_MS, correlate, failureWindow, type CorrelatedLine } from '../../artifacts/correlate.js';
import { readLogTwins, type LogLine } from '../../artifacts/log-lines.js';
import type { CheckResult } from '../../model/results.js';
import type { Backend } from '../../runtime/backend.js';
import { replicasOf, type Environment } from '../lifecycle/environment.js';
import { timedLogLines } from './service-logs.js';
import { servicesBehind } from './services-behind.js';

export async function failureLogs(
  env: Pick<Environment, 'project' | 'services'>,
  source: { logsDir: string } | { runtime: Backend },
  results: CheckResult[],
): Promise<(r: CheckResult) => CorrelatedLine[] | undefined> {
  const windows = results.map(failureWindow).filter((w) => w !== undefined);
  if (!windows.length) return () => undefined;
  let lines: LogLine[];
  if ('logsDir' in source) lines = await readLogTwins(source.logsDir);
  else {
    const since = Math.min(...windows.map((w) => w.startedAt)) - CORRELATION_MARGIN_MS;
    const containers = Object.values(env.services).flatMap((s) => replicasOf(s).map((r) => ({ service: s.service, containerId: r.containerId })));
    lines = (await Promise.all(containers.map((c) => timedLogLines(source.runtime, c.service, c.containerId, since)))).flat();
  }
  return (r) => {
    const window = failureWindow(r);
    if (!window) return undefined;
    const host = hostOf(r.target);
    // An attached environment knows its services by their labels only, not their compose keys.
    const behind = servicesBehind(env.project, host);
    return correlate(window, behind.length || !(host in env.services) ? behind : [host], lines);
  };
}

function hostOf(target: string): string {
  const host = target.slice(0, target.lastIndexOf(':'));
  return host.startsWith('[') ? host.slice(1, -1) : host;
}
