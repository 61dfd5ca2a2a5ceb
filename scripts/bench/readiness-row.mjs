// How long after a service becomes ready envtest sees it, measured directly: each service of a
// small stack writes the moment it becomes ready (`date +%s%N`, the clock the host shares with its
// containers) to its log, and envtest's own timeline says when it saw that service ready. One
// service per kind of readiness: a health check, declared ports, a one-shot job that exits 0.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { envtestRun } from './envtest-run.mjs';
import { baseImage } from './paths.mjs';
import { summary } from './stats.mjs';

/** How long each service runs before it becomes ready: past its start, so the wait is under way. */
const READY_AFTER_S = 2;
const PORT = 8080;
/** Says when, then becomes ready (`then` runs right after the moment is taken: readiness comes a hair later). */
const becomeReady = (then, after = READY_AFTER_S) => ['sh', '-c', `sleep ${after}; echo "ready-at $(date +%s%N)"; ${then}`];
const KINDS = ['healthy', 'listening', 'completed'];

/** Writes the stack (service name = the kind of readiness it measures) and its one check. */
export function writeReadinessStack(dir) {
  const at = join(dir, 'readiness');
  mkdirSync(at, { recursive: true });
  const services = {
    // The example's check settings: the engine runs it every second, envtest's probe more often.
    healthy: {
      image: baseImage,
      command: becomeReady('touch /tmp/ready; exec sleep infinity'),
      healthcheck: { test: ['CMD', 'test', '-f', '/tmp/ready'], interval: '1s', timeout: '2s', retries: 30 },
    },
    listening: { image: baseImage, command: becomeReady(`exec nc -dlk ${PORT}`), expose: [String(PORT)] },
    // Done before SETTLE_MS (1 s): a job still running then counts as ready by the 1 s rule.
    completed: { image: baseImage, command: becomeReady('exit 0', 0.7) },
  };
  const file = join(at, 'compose.yaml');
  writeFileSync(file, stringify({ name: 'benchreadiness', services }));
  const checks = join(at, 'checks.yaml');
  writeFileSync(checks, stringify({ name: 'readiness', checks: [{ name: 'listening listens', target: `listening:${PORT}`, tcp: {} }] }));
  return { file, checks };
}

/** The moment (epoch ms) a service said it became ready, from the run's log artifacts. */
function saidReadyAt(runDir, service) {
  const file = join(runDir, 'logs', `${service}.ndjson`);
  if (!existsSync(file)) return undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const said = /ready-at (\d+)/.exec(line);
    if (said) return Number(said[1]) / 1e6;
  }
  return undefined;
}

/**
 * Per kind, in one run: when envtest saw its service ready (its timeline's origin + readyMs) minus
 * the moment the service said it became ready. Kinds whose service did not say, or that envtest
 * did not see, are left out.
 */
export function lagsOf(metrics, runDir) {
  const lags = {};
  for (const s of metrics?.timeline?.services ?? []) {
    const at = KINDS.includes(s.name) ? saidReadyAt(runDir, s.name) : undefined;
    if (at !== undefined && s.readyMs !== undefined) lags[s.name] = metrics.timeline.origin + s.readyMs - at;
  }
  return lags;
}

/** Resolves the row: each kind's lag summary (ms), the worst kind's, and the rounds' problems. */
export async function readinessRow({ rounds, tmp, benchId, artifacts, log }) {
  const stack = writeReadinessStack(tmp);
  const byKind = {};
  const problems = [];
  const runIds = [];
  let green = 0;
  for (let r = 1; r <= rounds; r++) {
    const runId = `${benchId}-ready-r${r}`;
    runIds.push(runId);
    const run = await envtestRun({ ...stack, runId, artifacts });
    if (!run.ok) {
      problems.push(`round ${r}: envtest run exited ${run.exitCode}: ${run.output.slice(-1500)}`);
      continue;
    }
    green++;
    const lags = lagsOf(run.metrics, join(artifacts, runId));
    for (const kind of KINDS) {
      if (lags[kind] === undefined) problems.push(`round ${r}: ${kind} never said when it became ready, or envtest never saw it`);
      else (byKind[kind] ??= []).push(lags[kind]);
    }
    log(`readiness round ${r}: ${Object.entries(lags).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')}`);
  }
  const lagMs = Object.fromEntries(Object.entries(byKind).map(([kind, xs]) => [kind, summary(xs)]));
  const worst = Object.entries(lagMs).sort(([, a], [, b]) => b.median - a.median)[0];
  return { id: 'readiness', rounds, green: `${green}/${rounds}`, lagMs, worstLagMs: worst && { name: worst[0], ...worst[1] }, problems, runIds };
}
