// A five-service stack kept outside the repository (support/five-service-stack.ts writes it to a temp
// dir), run by `envtest run --backend swarm` through the built CLI on the three-node lab, and checked
// afterwards with the docker CLI on the manager and on every node's own dockerd: it passes with its
// services on several nodes and every check green, the keys a swarm task cannot carry are warned
// about once per service, a wrong environment variable fails a check with exit 1, and nothing
// labelled with either run is left on any node.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { envtest, uniqueRunId } from '../support/cli.js';
import { writeFiveServiceStack } from './support/five-service-stack.js';
import { runLeftovers } from './support/run-leftovers.js';

const lab = inject('swarmLab');
const env = { DOCKER_HOST: lab.dockerHost, ENVTEST_BACKEND: 'swarm', ENVTEST_REGISTRY: lab.registry };
const artifacts = mkdtempSync(join(tmpdir(), 'envtest-swarm-relay-'));

interface Report {
  status: string;
  services: { name: string; node?: string }[];
  checks: { name: string; status: string; message?: string }[];
}
const report = (runId: string): Report => JSON.parse(readFileSync(join(artifacts, runId, 'report.json'), 'utf8'));
/** report.json joins the nodes of a service's replicas with commas. */
const nodesOf = (s: { node?: string }) => (s.node ?? '').split(/[,\s]+/).filter(Boolean);

async function run(workerSubject?: string) {
  const stack = writeFiveServiceStack(workerSubject);
  const id = uniqueRunId('swarm-relay');
  const result = await envtest(['run', '-f', stack.compose, '--checks', stack.checks, '--run-id', id, '--artifacts', artifacts, '--timeout', '5m'], { env });
  return { id, result };
}

describe('a five-service stack kept outside the repository, on the swarm', () => {
  it('passes: every check green, services on several nodes, placement honoured, left-out keys warned once, nothing left on any node', async () => {
    const { id, result } = await run();
    expect(result.exitCode, result.all).toBe(0);
    const r = report(id);
    expect(r.status).toBe('passed');
    expect(r.services.map((s) => s.name).sort()).toEqual(['api', 'init', 'queue', 'store', 'web', 'worker']);
    for (const s of r.services) {
      expect(nodesOf(s), s.name).not.toEqual([]);
      for (const node of nodesOf(s)) expect(lab.nodes, s.name).toContain(node);
    }
    expect(new Set(r.services.flatMap(nodesOf)).size).toBeGreaterThanOrEqual(2);
    // deploy.placement.constraints: node.role==worker, and the manager is node 1.
    expect(lab.nodes.slice(1)).toEqual(expect.arrayContaining(nodesOf(r.services.find((s) => s.name === 'worker')!)));
    expect(r.checks.map((c) => [c.name, c.status])).toEqual(expect.arrayContaining([['a job goes through the queue to the worker and into the store', 'passed']]));
    expect(r.checks).toHaveLength(6);
    for (const c of r.checks) expect(c.status, `${c.name}: ${c.message}`).toBe('passed');
    // What a swarm task cannot carry: warned once per service and key, whether two replicas (api) or one.
    expect(result.stderr.split('\n').filter((line) => line.includes('is left out')).sort()).toEqual([
      'warning: service api: restart is left out, this backend cannot carry it (the service runs without it)',
      'warning: service store: shm_size is left out, this backend cannot carry it (the service runs without it)',
    ]);
    expect(await runLeftovers(lab, id)).toEqual([]);
  });

  it('exits 1 when the worker consumes the wrong subject (a wrong environment variable): the job check fails, the rest pass, nothing left', async () => {
    const { id, result } = await run('jobs.wrok');
    expect(result.exitCode, result.all).toBe(1);
    const r = report(id);
    expect(r.status).toBe('failed');
    expect(r.checks.filter((c) => c.status !== 'passed').map((c) => c.name)).toEqual(['a job goes through the queue to the worker and into the store']);
    expect(result.all).toMatch(/expected status 200, got 504/);
    expect(await runLeftovers(lab, id)).toEqual([]);
  });
});
