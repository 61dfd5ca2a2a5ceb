// The bundled example on Podman's Docker-compatible API (Debian's podman, `podman system service`
// on a socket of the test's own), reached as a user would: DOCKER_HOST pointing at the socket. What
// is left afterwards is read with the docker CLI through that same socket, not with envtest.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envtest, envtestProcess, leftovers, stderrSays, uniqueRunId } from '../support/cli.js';
import { podmanMissing, startPodman, type PodmanEngine } from '../support/podman.js';

const missing = podmanMissing();

describe.skipIf(!!missing)(`envtest on Podman${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let engine: PodmanEngine;
  const scratch = mkdtempSync(join(tmpdir(), 'envtest-podman-test-'));
  const artifacts = join(scratch, 'artifacts');

  beforeAll(async () => {
    engine = await startPodman();
  }, 300_000);

  afterAll(async () => {
    await engine?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  /** Everything on the Podman engine labelled with this run, as the docker CLI lists it there. */
  async function onPodman(runId: string): Promise<string[]> {
    const label = `label=envtest.run=${runId}`;
    const list = async (args: string[]) => (await execa('docker', ['-H', engine.host, ...args, '-q', '--filter', label])).stdout.split('\n').filter(Boolean);
    return [...(await list(['ps', '-a'])), ...(await list(['network', 'ls'])), ...(await list(['volume', 'ls']))];
  }

  it('runs the example: builds, health checks, a one-shot job, port readiness, every check passes, nothing left', { timeout: 300_000 }, async () => {
    const runId = uniqueRunId('podman');
    const run = await envtest(['run', '-f', 'compose/compose.yaml', '--checks', 'compose/checks', '--run-id', runId, '--artifacts', artifacts], {
      env: { DOCKER_HOST: engine.host, ENVTEST_LOG_LEVEL: 'debug' },
    });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toMatch(/db healthy \((envtest probe|engine)\)/); // envtest's exec probe (or Podman's own check, see podman-health.ts)
    expect(run.all).toMatch(/migrate completed/); // `stopped` read as exited
    expect(run.all).toMatch(/gateway listening/); // a silent server's log follow did not hold the start
    const report = JSON.parse(readFileSync(join(artifacts, runId, 'report.json'), 'utf8')) as {
      summary: { total: number; passed: number };
      teardown: { removed: { networks: string[] }; failed: unknown[]; remaining: number };
    };
    expect(report.summary.total).toBeGreaterThan(0);
    expect(report.summary.passed).toBe(report.summary.total);
    // Every workload was cut off its network before the network went (Podman before 5.4 names a
    // container's networks by name where Docker gives ids), and nothing failed on the way.
    expect(report.teardown.failed).toEqual([]);
    expect(report.teardown.remaining).toBe(0);
    expect(report.teardown.removed.networks).toEqual([`shop-${runId}_default`]);
    const log = readFileSync(join(artifacts, runId, 'envtest.log'), 'utf8');
    expect(log).not.toMatch(/could not cut off/);
    expect(log.match(/"verb":"cutOff"/g)?.length).toBeGreaterThanOrEqual(6);

    // It really ran on Podman: the images were built through Podman's build API, and the Docker
    // engine never saw the run.
    await expect(engine.podman(['image', 'exists', 'shop-api'])).resolves.toBeDefined();
    expect(await leftovers(runId)).toEqual([]);
    expect(await onPodman(runId)).toEqual([]);
  });

  it('a service_healthy dependency on a service without a health check fails at once, as on Docker', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(scratch, 'nohealth-'));
    writeFileSync(
      join(dir, 'compose.yaml'),
      `name: nohealth
services:
  plain:
    image: envtest/base:bookworm
    command: ["sleep", "300"]
  app:
    image: envtest/base:bookworm
    command: ["sleep", "300"]
    depends_on:
      plain: { condition: service_healthy }
`,
    );
    const runId = uniqueRunId('podman-nohealth');
    const started = Date.now();
    const up = await envtest(['up', '-f', join(dir, 'compose.yaml'), '--run-id', runId, '--timeout', '90s'], { env: { DOCKER_HOST: engine.host } });
    expect(up.exitCode, up.all).toBe(3);
    expect(up.all).toMatch(/plain has no health check/);
    expect(Date.now() - started).toBeLessThan(60_000); // not the timeout
    expect(await onPodman(runId)).toEqual([]);
  });

  it('SIGKILL mid-start: the reaper, attached through the Podman socket it mounts, removes the run', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(scratch, 'killed-'));
    writeFileSync(join(dir, 'compose.yaml'), `name: killed\nservices:\n  app:\n    image: envtest/base:bookworm\n    command: ["sleep", "300"]\n  late:\n    image: envtest/base:bookworm\n    command: ["sleep", "300"]\n    depends_on: [app]\n`);
    const runId = uniqueRunId('podman-killed');
    const proc = envtestProcess(['up', '-f', join(dir, 'compose.yaml'), '--run-id', runId], { env: { DOCKER_HOST: engine.host }, detached: true });
    await stderrSays(proc, 'app started');
    expect(await onPodman(runId)).not.toEqual([]);
    process.kill(-proc.pid!, 'SIGKILL');
    await proc;
    await expect.poll(() => onPodman(runId), { timeout: 30_000, interval: 500 }).toEqual([]);
  });
});
