// `envtest run --backend swarm` on the real three-node lab, checked node by node with the docker CLI
// (each node's own dockerd), not through envtest's runtime: the example passes with its services
// spread over nodes, a missing registry and a broken contract keep their exit codes, a placement
// constraint is honoured, and nothing labelled with a run is left anywhere. (Never-healthy, Ctrl-C
// and SIGKILL: envtest-run.test.ts.)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { envtest, fixture, uniqueRunId } from '../support/cli.js';
import { onNode, until, type SwarmLab } from './support/lab.js';
import { runLeftovers } from './support/run-leftovers.js';

const lab: SwarmLab = inject('swarmLab');
const env = { DOCKER_HOST: lab.dockerHost, ENVTEST_BACKEND: 'swarm', ENVTEST_REGISTRY: lab.registry };

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
    expect(await runLeftovers(lab, id)).toEqual([]);
  });

  it('refuses a built service without a registry before anything starts: exit 2 naming --registry', async () => {
    const id = uniqueRunId('swarm-noreg');
    const result = await envtest(['run', '-f', 'compose/compose.yaml', '--checks', 'compose/checks', '--run-id', id], { env: { ...env, ENVTEST_REGISTRY: '' } });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.all).toMatch(/--registry/);
    expect(await runLeftovers(lab, id)).toEqual([]);
  });

  it('a broken contract exits 1', async () => {
    const id = uniqueRunId('swarm-broken');
    const result = await envtest(['run', '-f', fixture('stack-tiny.yaml'), '--checks', fixture('suite-tiny-failing.yaml'), '--run-id', id], { env });
    expect(result.exitCode, result.all).toBe(1);
    expect(await runLeftovers(lab, id)).toEqual([]);
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
    // Placement is honoured here: the Docker backend's "ignored outside a Swarm" warning would be a lie.
    expect(result.stderr).not.toMatch(/placement|Swarm setting/);
    const workers = lab.nodes.slice(1);
    const holding = [];
    for (const node of lab.nodes) if (await onNode(node, ['volume', 'ls', '-q', '--filter', `label=envtest.run=${id}`])) holding.push(node);
    expect(holding).toHaveLength(1);
    expect(workers).toContain(holding[0]);
    const down = await envtest(['down', id], { env });
    expect(down.exitCode, down.all).toBe(0);
    // A worker drops its copy of a removed overlay network on its own, a moment after the manager has.
    await until('the run gone from every node', async () => ((await runLeftovers(lab, id)).length === 0 ? true : undefined), 30_000);
  });
});
