// Attaches to each failed check the log lines of the services behind its target around the failure.
// They come from the run's own logs folder, so an attached run (whose logs another process
// followed) gets none.
import { correlate, failureWindow, type CorrelatedLine } from '../artifacts/correlate.js';
import { readLogTwins } from '../artifacts/log-lines.js';
import type { CheckResult } from '../model/results.js';
import type { Environment } from './environment.js';
import { servicesBehind } from './services-behind.js';

export async function failureLogs(env: Environment, logsDir: string, results: CheckResult[]): Promise<(r: CheckResult) => CorrelatedLine[] | undefined> {
  if (!results.some((r) => failureWindow(r))) return () => undefined;
  const lines = await readLogTwins(logsDir);
  return (r) => {
    const window = failureWindow(r);
    if (!window) return undefined;
    return correlate(window, servicesBehind(env.project, hostOf(r.target)), lines);
  };
}

function hostOf(target: string): string {
  const host = target.slice(0, target.lastIndexOf(':'));
  return host.startsWith('[') ? host.slice(1, -1) : host;
}
