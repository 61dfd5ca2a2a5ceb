// When is a service "there"? Pure judgements over one inspected state, used by ContainerWatch.
import { formatDuration } from '../../model/duration.js';
import type { DependencyCondition } from '../../model/project.js';
import type { ServiceState } from '../../runtime/backend.js';
import type { Verdict } from './container-watch.js';

/**
 * A service without a health check counts as ready once it has stayed up this long. Without it a
 * server that crashes on a bad variable 50 ms after start would be reported ready and the run would
 * fail later, far from the cause.
 */
export const SETTLE_MS = 1000;

/** `listening`: every declared TCP port listens (orchestrator/ports/port-readiness.ts). */
export type Readiness = 'running' | 'healthy' | 'completed' | 'listening';

function crashed(s: ServiceState): string | undefined {
  if (s.status === 'exited' || s.status === 'dead') return s.exitCode === 0 ? undefined : `exited with code ${s.exitCode}`;
  if (s.status === 'restarting' || s.restartCount > 0) return `is crash-looping (restarted ${s.restartCount} times)`;
  if (s.health === 'unhealthy') return 'became unhealthy';
  return undefined;
}

/** Ready: healthy where it has a health check, running (and settled) otherwise, or exited 0 (a one-shot job). */
export function judgeReady(s: ServiceState, now = Date.now()): Verdict<Readiness> {
  const failure = crashed(s);
  if (failure) return { fail: failure };
  if (s.status === 'exited') return { done: 'completed' };
  if (s.status !== 'running') return undefined;
  if (s.health === 'healthy') return { done: 'healthy' };
  if (s.health === 'starting') return undefined;
  const up = s.startedAt ? now - Date.parse(s.startedAt) : 0;
  return up >= SETTLE_MS ? { done: 'running' } : { recheckInMs: SETTLE_MS - up };
}

/** Whether a dependency meets the condition a dependent waits on. */
export function judgeCondition(condition: DependencyCondition, s: ServiceState): Verdict<true> {
  switch (condition) {
    case 'service_started':
      if (s.status === 'running' || s.status === 'exited') return { done: true };
      return undefined;
    case 'service_healthy': {
      const failure = crashed(s) ?? (s.status === 'exited' ? 'exited before it became healthy' : undefined);
      if (failure) return { fail: failure };
      if (s.status === 'running' && s.health === 'none') return { fail: 'has no health check, so it can never be service_healthy' };
      return s.health === 'healthy' ? { done: true } : undefined;
    }
    case 'service_completed_successfully':
      if (s.status === 'exited' || s.status === 'dead') return s.exitCode === 0 ? { done: true } : { fail: `exited with code ${s.exitCode}` };
      if (s.restartCount > 0) return { fail: `is crash-looping (restarted ${s.restartCount} times)` };
      return undefined;
  }
}

export function describeWait(service: string, what: string, waitedMs: number, s: ServiceState): string {
  const health = s.health !== 'none' ? `, health ${s.health}` : '';
  return `${service} not ${what} after ${formatDuration(waitedMs)} (state ${s.status}${health})`;
}
