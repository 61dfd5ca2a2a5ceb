// envtest run --backend swarm on the lab's real three-node swarm when it goes wrong, through the
// built CLI as a user runs it, each run checked afterwards on the manager and on every node's own
// dockerd: a never-healthy service exits 3, Ctrl-C and SIGKILL leave nothing on any node.
// (The example: backend-run.test.ts; a stack outside the repository: outside-stack.test.ts; runs at
// once: parallel-runs.test.ts.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { envtest, envtestProcess, fixture, stderrSays, uniqueRunId } from '../support/cli.js';
import { onNode } from './support/lab.js';
import { nodesWithRunContainers, runLeftovers, waitUntilSwarmClean } from './support/run-leftovers.js';

const lab = inject('swarmLab');
// ENVTEST_BACKEND and ENVTEST_REGISTRY as `eval "$(scripts/swarm-lab.sh up)"` plus the backend choice leave them.
const env = { DOCKER_HOST: lab.dockerHost, ENVTEST_BACKEND: 'swarm', ENVTEST_REGISTRY: lab.registry };
const artifacts = mkdtempSync(join(tmpdir(), 'envtest-swarm-artifacts-'));
const run = (args: string[]) => envtest(['run', ...args, '--timeout', '3m', '--artifacts', artifacts], { env });

describe('envtest run --backend swarm', () => {
  it('exits 3 when a service never becomes healthy, naming it, and leaves nothing', async () => {
    const id = uniqueRunId('swarm-unhealthy');
    const result = await run(['-f', fixture('stack-never-healthy.yaml'), '--checks', fixture('suite-tiny-passing.yaml'), '--run-id', id]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.all).toContain('db');
    expect(await runLeftovers(lab, id)).toEqual([]);
  });
});

describe('interrupting a swarm run', () => {
  const slowChecks = ['--checks', fixture('suite-slow.yaml')];
  const interruptible = (id: string, detached = false) =>
    envtestProcess(['run', '-f', fixture('stack-tiny.yaml'), ...slowChecks, '--run-id', id, '--artifacts', artifacts], { env, detached });

  it('Ctrl-C during checks tears down on every node and exits 130', async () => {
    const id = uniqueRunId('swarm-sigint');
    const proc = interruptible(id);
    await stderrSays(proc, 'api running');
    await new Promise((r) => setTimeout(r, 1500)); // the sidecar is running checks by now
    expect(await nodesWithRunContainers(lab, id)).not.toEqual([]);
    proc.kill('SIGINT');
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(130);
    expect(await runLeftovers(lab, id)).toEqual([]);
  });

  it('SIGKILL of the whole process group: the reaper on the manager removes the run from every node', async () => {
    const id = uniqueRunId('swarm-sigkill');
    const proc = interruptible(id, true);
    await stderrSays(proc, 'api running');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await nodesWithRunContainers(lab, id)).not.toEqual([]);
    const reaper = await onNode(lab.nodes[0]!, ['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=reaper']);
    expect(reaper, 'the reaper runs on the manager').not.toBe('');
    process.kill(-proc.pid!, 'SIGKILL');
    await proc;
    expect(await waitUntilSwarmClean(lab, id, 60_000)).toBeLessThan(60_000);
  });
});

