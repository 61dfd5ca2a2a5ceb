// On a swarm a name reaches the other nodes by gossip, after its service is healthy: a dependent
// started on another node in that moment cannot resolve it (CI saw `psql: could not translate host
// name "db"` with three parallel runs). envtest counts a service ready only once its name resolves
// on every node. Checked node by node with the docker CLI (each node's engine events): the name watch
// of the dependency ran on every node, exited 0, and finished before the dependent's container started.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { envtest, uniqueRunId } from '../support/cli.js';
import { onNode, until, type SwarmLab } from './support/lab.js';
import { runLeftovers } from './support/run-leftovers.js';

const lab: SwarmLab = inject('swarmLab');
const env = { DOCKER_HOST: lab.dockerHost, ENVTEST_BACKEND: 'swarm', ENVTEST_REGISTRY: lab.registry };

/** The engine events of the run's containers on every node since `since` (s), matching the filters. */
async function events(runId: string, since: number, filters: string[]): Promise<{ node: string; at: number; exitCode?: string }[]> {
  const until = Math.ceil(Date.now() / 1000) + 1;
  const found = await Promise.all(
    lab.nodes.map(async (node) => {
      const args = ['events', '--since', String(since), '--until', String(until), '--filter', `label=envtest.run=${runId}`, ...filters.flatMap((f) => ['--filter', f])];
      const out = await onNode(node, [...args, '--format', '{{.TimeNano}} {{index .Actor.Attributes "exitCode"}}']);
      return out.split('\n').filter(Boolean).map((line) => {
        const [at, exitCode] = line.split(' ');
        return { node, at: Number(BigInt(at!) / 1_000_000n), ...(exitCode ? { exitCode } : {}) };
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
    const since = Math.floor(Date.now() / 1000) - 1;
    try {
      const result = await envtest(['up', '-f', compose, '--run-id', id, '--timeout', '120s'], { env });
      expect(result.exitCode, result.all).toBe(0);
      // The watch goes once it is over (its containers with it): the engines' events keep what it did.
      const known = await events(id, since, ['label=envtest.names-of=db', 'event=die']);
      expect(known.map((w) => w.node).sort(), JSON.stringify(known)).toEqual([...lab.nodes].sort());
      expect(known.every((w) => w.exitCode === '0'), JSON.stringify(known)).toBe(true);
      const started = await events(id, since, ['label=envtest.service=app', 'event=start']);
      expect(started).toHaveLength(1);
      expect(lab.nodes.slice(1)).toContain(started[0]!.node);
      expect((await onNode(started[0]!.node, ['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.service=app'])).trim()).not.toBe('');
      const lastKnown = Math.max(...known.map((w) => w.at));
      expect(started[0]!.at, `app started at ${started[0]!.at}, db's name known everywhere at ${lastKnown}`).toBeGreaterThanOrEqual(lastKnown);
    } finally {
      const down = await envtest(['down', id], { env });
      expect(down.exitCode, down.all).toBe(0);
      await until('the run gone from every node', async () => ((await runLeftovers(lab, id)).length === 0 ? true : undefined), 30_000);
    }
  });
});
