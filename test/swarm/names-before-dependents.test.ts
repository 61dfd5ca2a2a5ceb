// On a swarm a name reaches the other nodes by gossip, after its service is healthy: a dependent
// started on another node in that moment cannot resolve it (CI saw `psql: could not translate host
// name "db"` with three parallel runs). envtest counts a service ready only once its name resolves
// on every node. Checked node by node with the docker CLI: the name watch of the dependency ran on
// every node, exited 0, and finished before the dependent's container started.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { envtest, uniqueRunId } from '../support/cli.js';
import { onNode, until, type SwarmLab } from './support/lab.js';
import { runLeftovers } from './support/run-leftovers.js';

const lab: SwarmLab = inject('swarmLab');
const env = { DOCKER_HOST: lab.dockerHost, ENVTEST_BACKEND: 'swarm', ENVTEST_REGISTRY: lab.registry };

/** `docker inspect` of the run's containers on every node matching the filters, one object per container. */
async function containers(runId: string, filter: string): Promise<{ node: string; exitCode: number; startedAt: string; finishedAt: string; status: string }[]> {
  const found = await Promise.all(
    lab.nodes.map(async (node) => {
      const ids = (await onNode(node, ['ps', '-aq', '--filter', `label=envtest.run=${runId}`, '--filter', filter])).split('\n').filter(Boolean);
      if (!ids.length) return [];
      const out = await onNode(node, ['inspect', '--format', '{{.State.ExitCode}} {{.State.StartedAt}} {{.State.FinishedAt}} {{.State.Status}}', ...ids]);
      return out.split('\n').map((line) => {
        const [exitCode, startedAt, finishedAt, status] = line.split(' ');
        return { node, exitCode: Number(exitCode), startedAt: startedAt!, finishedAt: finishedAt!, status: status! };
      });
    }),
  );
  return found.flat();
}

describe('names on a swarm', () => {
  it('a dependency counts as ready only once its name resolves on every node: its watch finished everywhere before the dependent started', async () => {
    const id = uniqueRunId('swarm-names');
    const dir = mkdtempSync(join(tmpdir(), 'envtest-swarm-names-'));
    const compose = join(dir, 'compose.yaml');
    writeFileSync(
      compose,
      [
        'name: names',
        'services:',
        '  db:',
        '    image: envtest/base:bookworm',
        '    command: ["sleep", "infinity"]',
        '    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 3 }',
        '    deploy: { placement: { constraints: ["node.role==manager"] } }',
        '  app:',
        // Exits at once if the name is unknown where it landed.
        '    image: envtest/base:bookworm',
        '    command: ["sh", "-c", "getent hosts db && exec sleep infinity"]',
        '    depends_on: { db: { condition: service_healthy } }',
        '    deploy: { placement: { constraints: ["node.role==worker"] } }',
        '',
      ].join('\n'),
    );
    try {
      const result = await envtest(['up', '-f', compose, '--run-id', id, '--timeout', '120s'], { env });
      expect(result.exitCode, result.all).toBe(0);
      const watches = await containers(id, 'label=envtest.names-of=db');
      expect(watches.map((w) => w.node).sort(), JSON.stringify(watches)).toEqual([...lab.nodes].sort());
      expect(watches.every((w) => w.exitCode === 0 && w.status === 'exited'), JSON.stringify(watches)).toBe(true);
      const [app] = await containers(id, 'label=envtest.service=app');
      expect(app?.status, JSON.stringify(app)).toBe('running');
      expect(lab.nodes.slice(1)).toContain(app!.node);
      const lastKnown = Math.max(...watches.map((w) => Date.parse(w.finishedAt)));
      expect(Date.parse(app!.startedAt), `app started ${app!.startedAt}, db's name known everywhere at ${new Date(lastKnown).toISOString()}`).toBeGreaterThanOrEqual(lastKnown);
    } finally {
      const down = await envtest(['down', id], { env });
      expect(down.exitCode, down.all).toBe(0);
      await until('the run gone from every node', async () => ((await runLeftovers(lab, id)).length === 0 ? true : undefined), 30_000);
    }
  });
});
