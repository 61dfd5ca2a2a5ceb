// The same checks envtest runs, run by hand for the peers: envtest's own sidecar runner (the bundle
// `envtest run` copies into its sidecar) with the same suites, in a container on the peer's
// network, started the way a compose user would start one (`docker run --rm`).
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSuites } from '../../dist/index.js';
import { runnerBundle, sidecarImage } from './paths.mjs';

/** The runner's job for these suite paths, written into dir as the one line its stdin gets; returns its path. */
export async function writeJob(checks, dir) {
  const suites = await loadSuites([checks]);
  const path = join(dir, `job-${Math.random().toString(36).slice(2, 8)}.json`);
  // The line envtest sends (src/model/job-line.ts).
  writeFileSync(path, `\nenvtest-job:${JSON.stringify({ suites, concurrency: 8 })}\n`);
  return path;
}

/** A runner that never finishes must not hold the benchmark (or its smoke test) forever. */
const RUNNER_TIMEOUT_MS = 300_000;

/**
 * Runs the job on the stack's networks (the first given at creation, the others connected before
 * it starts); resolves { ms, results, passed, failed, failures }, throws if the runner failed.
 */
export async function runChecksOn(networks, jobPath, labels, { timeoutMs = RUNNER_TIMEOUT_MS } = {}) {
  const started = performance.now();
  // This runner's own label: what a killed `docker run --rm` leaves is found by it, never by name.
  const runner = { 'envtest.bench.runner': Math.random().toString(36).slice(2, 10) };
  const create = [
    '--network', networks[0],
    ...Object.entries({ ...labels, ...runner }).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    // The job goes to the runner's stdin, as envtest sends it.
    '-i', '-v', `${runnerBundle}:/envtest/runner.cjs:ro`,
    '--entrypoint', 'node', sidecarImage, '/envtest/runner.cjs',
  ];
  let r;
  if (networks.length === 1) {
    r = await execa('docker', ['run', '--rm', ...create], { reject: false, timeout: timeoutMs, inputFile: jobPath });
    // Killed by the timeout, the CLI goes but its container stays (node as PID 1 ignores the
    // forwarded SIGTERM), holding the peer's network: removed here, by its label.
    if (r.exitCode !== 0) await removeLabelled(runner);
  } else {
    const id = (await execa('docker', ['create', ...create])).stdout.trim();
    try {
      for (const net of networks.slice(1)) await execa('docker', ['network', 'connect', net, id]);
      r = await execa('docker', ['start', '-a', '-i', id], { reject: false, timeout: timeoutMs, inputFile: jobPath });
    } finally {
      await execa('docker', ['rm', '-f', id], { reject: false });
    }
  }
  const ms = performance.now() - started;
  if (r.timedOut) throw new Error(`the check runner on ${networks[0]} did not finish within ${timeoutMs / 1000} s`);
  const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => { try { return JSON.parse(l); } catch { return undefined; } }).filter(Boolean);
  const done = events.find((e) => e.type === 'done');
  if (!done) throw new Error(`the check runner on ${networks[0]} did not finish (exit ${r.exitCode}):\n${r.stderr.slice(-2000)}`);
  const results = events.filter((e) => e.type === 'result');
  const failures = results.filter((e) => e.status !== 'passed').map((e) => `${e.name}: ${e.message}`);
  return { ms, results, passed: done.passed, failed: done.failed, failures };
}

async function removeLabelled(labels) {
  const filters = Object.entries(labels).flatMap(([k, v]) => ['--filter', `label=${k}=${v}`]);
  const ids = (await execa('docker', ['ps', '-aq', ...filters], { reject: false })).stdout.split('\n').filter(Boolean);
  if (ids.length) await execa('docker', ['rm', '-f', ...ids], { reject: false });
}
