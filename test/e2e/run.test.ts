// `envtest run` end to end: the bundled example, a drifted suite, a service that cannot start,
// and invalid input, each through the CLI with the engine checked by the docker CLI.
import { readFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/artifacts/report.js';
import { docker, envtest, fixture, leftovers, repoRoot, uniqueRunId } from '../support/cli.js';

const example = join(repoRoot, 'compose/compose.yaml');
const exampleChecks = join(repoRoot, 'compose/checks');
const artifacts = mkdtempSync(join(tmpdir(), 'envtest-e2e-'));
const readReport = async (id: string) => JSON.parse(await readFile(join(artifacts, id, 'report.json'), 'utf8')) as RunReport;
const readJunit = (id: string) => readFile(join(artifacts, id, 'junit.xml'), 'utf8');

describe('envtest run', () => {
  it('passes the example suite, writes every artifact and leaves nothing behind', async () => {
    const id = uniqueRunId('example');
    const since = String(Math.floor(Date.now() / 1000) - 1);
    const result = await envtest(['run', '-f', example, '--checks', exampleChecks, '--run-id', id, '--artifacts', artifacts]);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('7 checks, 7 passed, 0 failed');
    // One copy into the sidecar, the runner before it starts: its job went down its held stdin.
    const copies = await docker([
      'events', '--since', since, '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', 'event=extract-to-dir',
      '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=sidecar', '--format', '{{.Actor.ID}}',
    ]);
    expect(copies.split('\n').filter(Boolean)).toHaveLength(1);

    const report = await readReport(id);
    expect(report.status).toBe('passed');
    expect(report.checks).toHaveLength(7);
    for (const c of report.checks) {
      expect(c.name).toBeTruthy();
      expect(c.target).toMatch(/^[a-z]+:\d+$/);
      expect(typeof c.durationMs).toBe('number');
    }
    const sampled = report.checks.find((c) => c.latency)!;
    expect(sampled.latency!.samples).toBeGreaterThanOrEqual(40);
    expect(sampled.latency!.p95).toBeGreaterThan(0);
    expect(report.services.map((s) => s.name).sort()).toEqual(['api', 'cache', 'db', 'gateway', 'migrate']);

    const junit = await readJunit(id);
    expect(junit.match(/<testcase /g)).toHaveLength(7);
    expect(junit).not.toContain('<failure');

    const apiLog = await readFile(join(artifacts, id, 'logs/api.log'), 'utf8');
    expect(apiLog).toContain('api listening on 0.0.0.0:8080');
    const metrics = JSON.parse(await readFile(join(artifacts, id, 'metrics.json'), 'utf8'));
    expect(metrics.services.db.readyMs).toBeGreaterThan(0);
    expect(metrics.checks.find((c: { samplesMs: number[] }) => c.samplesMs.length >= 40)).toBeTruthy();

    // The example's POSTGRES_PASSWORD default must not leak into any artifact.
    for (const file of ['report.json', 'junit.xml', 'metrics.json', 'logs/db.log', 'envtest.log']) {
      expect(await readFile(join(artifacts, id, file), 'utf8')).not.toContain('example-secret');
    }
    expect(await leftovers(id)).toEqual([]);
  });

  it('exits 1 on a drifted expectation, with exactly one failure in report and JUnit', async () => {
    const id = uniqueRunId('drift');
    const result = await envtest(['run', '-f', example, '--checks', fixture('suite-shop-drifted.yaml'), '--run-id', id, '--artifacts', artifacts]);
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toContain('orders carry a sku');
    const report = await readReport(id);
    expect(report.status).toBe('failed');
    expect(report.summary).toEqual({ total: 3, passed: 2, failed: 1 });
    expect((await readJunit(id)).match(/<failure /g)).toHaveLength(1);
    expect(await leftovers(id)).toEqual([]);
  });

  it('exits 3 when an override makes a service exit at start, naming it and its last log line', async () => {
    const id = uniqueRunId('badenv');
    const result = await envtest(['run', '-f', example, '-f', fixture('compose-override-bad-env.yaml'), '--checks', exampleChecks, '--run-id', id, '--artifacts', artifacts]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('api exited with code 1');
    expect(result.stderr).toContain('DATABASE_URL is not set; refusing to start');
    expect((await readReport(id)).status).toBe('error');
    expect(await leftovers(id)).toEqual([]);
  });

  it('exits 2 on an invalid suite before touching the engine', async () => {
    const result = await envtest(['run', '-f', example, '--checks', fixture('suite-unknown-protocol.yaml')], {
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('suite-unknown-protocol.yaml');
  });
});
