// `envtest run --backend swarm` on the real three-node lab, checked node by node with the docker CLI
// (each node's own dockerd), not through envtest's runtime: the example passes with its services
// spread over nodes, failures keep their exit codes, and nothing labelled with a run is left anywhere,
// a SIGKILLed envtest included (the reaper runs on the manager).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { envtest, envtestProcess, fixture, stderrSays, uniqueRunId } from '../support/cli.js';
import { onNode, swarm, until, type SwarmLab } from './support/lab.js';

const lab: SwarmLab = inject('swarmLab');
const env = { DOCKER_HOST: lab.dockerHost, ENVTEST_BACKEND: 'swarm', ENVTEST_REGISTRY: lab.registry };

/** Everything carrying the run's label, on every node's own engine and in the swarm's state. */
async function leftoversEverywhere(runId: string): Promise<string[]> {
  const label = `label=envtest.run=${runId}`;
  const perNode = await Promise.all(
    lab.nodes.map(async (node) => {
      const [c, n, v] = await Promise.all([
        onNode(node, ['ps', '-aq', '--filter', label]),
        onNode(node, ['network', 'ls', '-q', '--filter', label]),
        onNode(node, ['volume', 'ls', '-q', '--filter', label]),
      ]);
      return [c, n, v].flatMap((s) => s.split('\n')).filter(Boolean).map((id) => `${node}: ${id}`);
    }),
  );
  const [services, configs] = await Promise.all([swarm(lab, ['service', 'ls', '-q', '--filter', label]), swarm(lab, ['config', 'ls', '-q', '--filter', label])]);
  return [...perNode.flat(), ...[services, configs].flatMap((s) => s.split('\n')).filter(Boolean).map((id) => `swarm: ${id}`)];
}

describe('envtest run --backend swarm', () => {
  it('passes the example with its services on at least two nodes, naming each node in report.json, and leaves nothing on any node', async () => {
    const id = uniqueRunId('swarm-example');
    const artifacts = mkdtempSync(join(tmpdir(), 'envtest-swarm-'));
    const result = await envtest(['run', '-f', 'compose/compose.yaml', '--checks', 'compose/checks', '--run-id', id, '--artifacts', artifacts, '--timeout', '300s'], { env });
    expect(result.exitCode, result.all).toBe(0);
    const report = JSON.parse(readFileSync(join(artifacts, id, 'report.json'), 'utf8')) as { services: { name: string; node?: string }[] };
    const nodes = new Set(report.services.map((s) => s.node));
    expect(report.services.every((s) => s.node && lab.nodes.includes(s.node)), JSON.stringify(report.services)).toBe(true);
    expect(nodes.size).toBeGreaterThanOrEqual(2);
    expect(readFileSync(join(artifacts, id, 'logs', 'db.log'), 'utf8')).toMatch(/ready to accept connections/);
    expect(await leftoversEverywhere(id)).toEqual([]);
  });

  it('refuses a built service without a registry before anything starts: exit 2 naming --registry', async () => {
    const id = uniqueRunId('swarm-noreg');
    const result = await envtest(['run', '-f', 'compose/compose.yaml', '--checks', 'compose/checks', '--run-id', id], { env: { ...env, ENVTEST_REGISTRY: '' } });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.all).toMatch(/--registry/);
    expect(await leftoversEverywhere(id)).toEqual([]);
  });

  it('a broken contract exits 1', async () => {
    const id = uniqueRunId('swarm-broken');
    const result = await envtest(['run', '-f', fixture('stack-tiny.yaml'), '--checks', fixture('suite-tiny-failing.yaml'), '--run-id', id], { env });
    expect(result.exitCode, result.all).toBe(1);
    expect(await leftoversEverywhere(id)).toEqual([]);
  });

  it('honours a placement constraint, and `down` removes the named volume the worker made', async () => {
    const id = uniqueRunId('swarm-worker');
    const dir = mkdtempSync(join(tmpdir(), 'envtest-swarm-stack-'));
    const compose = join(dir, 'compose.yaml');
    writeFileSync(
      compose,
      ['name: onworker', 'services:', '  app:', '    image: envtest/base:bookworm', '    command: ["sh", "-c", "echo hi > /data/x; exec sleep infinity"]',
        '    volumes: ["data:/data"]', '    deploy:', '      placement:', '        constraints: ["node.role==worker"]', 'volumes:', '  data: {}', ''].join('\n'),
    );
    const result = await envtest(['up', '-f', compose, '--run-id', id, '--timeout', '120s'], { env });
    expect(result.exitCode, result.all).toBe(0);
    const workers = lab.nodes.slice(1);
    const holding = [];
    for (const node of lab.nodes) if (await onNode(node, ['volume', 'ls', '-q', '--filter', `label=envtest.run=${id}`])) holding.push(node);
    expect(holding).toHaveLength(1);
    expect(workers).toContain(holding[0]);
    const down = await envtest(['down', id], { env });
    expect(down.exitCode, down.all).toBe(0);
    // A worker drops its copy of a removed overlay network on its own, a moment after the manager has.
    await until('the run gone from every node', async () => ((await leftoversEverywhere(id)).length === 0 ? true : undefined), 30_000);
  });

  it('a never-healthy service exits 3 with its probe output', async () => {
    const id = uniqueRunId('swarm-unhealthy');
    const result = await envtest(['up', '-f', fixture('stack-never-healthy.yaml'), '--run-id', id, '--timeout', '90s'], { env });
    expect(result.exitCode, result.all).toBe(3);
    expect(result.all).toMatch(/db/);
    expect(await leftoversEverywhere(id)).toEqual([]);
  });

  it('after a SIGKILL of envtest, the reaper on the manager removes the run from every node', async () => {
    const id = uniqueRunId('swarm-sigkill');
    const proc = envtestProcess(['run', '-f', fixture('stack-tiny.yaml'), '--checks', fixture('suite-slow.yaml'), '--run-id', id], { env, detached: true });
    await stderrSays(proc, 'api running');
    expect((await leftoversEverywhere(id)).length).toBeGreaterThan(0);
    process.kill(-proc.pid!, 'SIGKILL');
    await proc;
    await until('the run gone from every node', async () => ((await leftoversEverywhere(id)).length === 0 ? true : undefined), 60_000);
  });
});
