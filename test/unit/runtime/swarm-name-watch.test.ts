import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceConfig } from '../../../src/model/project.js';
import { serviceContainerSpec, type RunContext } from '../../../src/orchestrator/spec/service-spec.js';
import { holdUntilVisible, judgeVisibility, nameWatchSpec } from '../../../src/runtime/swarm/name-watch.js';
import { SwarmBackend } from '../../../src/runtime/swarm/swarm-backend.js';
import type { SwarmTask } from '../../../src/runtime/swarm/task-state.js';

const service = {
  name: 'shop-r1-db',
  labels: { 'envtest.run': 'r1', 'envtest.service': 'db', 'envtest.role': 'service' },
  networks: [
    { network: 'shop-r1-default', aliases: ['db', 'database'] },
    { network: 'shop-r1-back', aliases: ['db', 'pg'] },
  ],
};
const task = (node: string, state: string, err?: string): SwarmTask => ({ ID: `${node}-t`, NodeID: node, Status: { State: state, Err: err } });
const named = (id: string) => `node-${id}`;

describe('the name watch of a swarm service', () => {
  it('is a global one-shot service (restart none) on the service’s networks, waiting for its compose name, labelled with the run but not as the service', () => {
    const spec = nameWatchSpec(service, 'registry:5000/sidecar:1') as {
      Name?: string;
      Labels: Record<string, string>;
      Mode: unknown;
      TaskTemplate: { ContainerSpec: { Image: string; Command: string[]; Labels: Record<string, string> }; Networks: unknown[]; RestartPolicy: unknown };
    };
    expect(spec.Mode).toEqual({ Global: {} });
    expect(spec.Name).toBe('r1-envtest-names-db');
    const long = nameWatchSpec({ ...service, labels: { ...service.labels, 'envtest.run': 'r'.repeat(40), 'envtest.service': 's'.repeat(30) } }, 'img') as { Name: string };
    expect(long.Name).toMatch(new RegExp(`^${'r'.repeat(40)}-names-[0-9a-f]{8}$`));
    expect(spec.Labels).toEqual({ 'envtest.run': 'r1', 'envtest.role': 'helper', 'envtest.names-of': 'db' });
    expect(spec.TaskTemplate.ContainerSpec.Labels).toEqual(spec.Labels);
    expect(spec.TaskTemplate.ContainerSpec.Image).toBe('registry:5000/sidecar:1');
    expect(spec.TaskTemplate.ContainerSpec.Command.slice(-1)).toEqual(['db']);
    expect(spec.TaskTemplate.Networks).toEqual([{ Target: 'shop-r1-default' }, { Target: 'shop-r1-back' }]);
    expect(spec.TaskTemplate.RestartPolicy).toEqual({ Condition: 'none' });
  });

  it('is not made for a service without a name on any network', () => {
    expect(nameWatchSpec({ ...service, networks: [] }, 'img')).toBeUndefined();
  });

  it('its script keeps looking each name up until it resolves', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envtest-names-'));
    // A getent that knows a name from its third lookup on: the script must keep asking.
    writeFileSync(join(dir, 'getent'), `#!/bin/sh\necho x >> "${dir}/calls.$2"\n[ "$(wc -l < "${dir}/calls.$2")" -ge 3 ]\n`);
    chmodSync(join(dir, 'getent'), 0o755);
    const command = (nameWatchSpec(service, 'img') as { TaskTemplate: { ContainerSpec: { Command: string[] } } }).TaskTemplate.ContainerSpec.Command;
    execFileSync(command[0]!, command.slice(1), { env: { PATH: `${dir}:/usr/bin:/bin` } });
    expect(readFileSync(join(dir, 'calls.db'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('sees the name everywhere only when the job completed on every active node', () => {
    expect(judgeVisibility([task('a', 'complete'), task('b', 'complete')], 3, named)).toEqual({ visible: false, waitingOn: 'its name lookup has not reached every node yet' });
    expect(judgeVisibility([task('a', 'complete'), task('b', 'complete'), task('c', 'complete')], 3, named)).toEqual({ visible: true });
    expect(judgeVisibility([task('a', 'complete'), task('b', 'running'), task('c', 'pending')], 3, named)).toEqual({
      visible: false,
      waitingOn: 'its name does not resolve yet on node-b; its name lookup is pending on node-c',
    });
    expect(judgeVisibility([task('a', 'complete'), task('b', 'failed', 'task: non-zero exit (1)')], 2, named)).toEqual({
      visible: false,
      waitingOn: 'the name lookup failed on node-b: task: non-zero exit (1)',
    });
  });

  it('holds a ready state back until the name is visible: healthy stays starting with the reason, no check stays created', () => {
    const waiting = { visible: false as const, waitingOn: 'its name does not resolve yet on node-b' };
    const healthy = { status: 'running' as const, health: 'healthy' as const, startedAt: '2026-11-30T00:00:00Z' };
    expect(holdUntilVisible(healthy, waiting)).toEqual({ ...healthy, health: 'starting', lastHealthOutput: 'healthy; its name does not resolve yet on node-b' });
    expect(holdUntilVisible({ ...healthy, health: 'none' as const }, waiting)).toEqual({ status: 'created', health: 'none', startedAt: undefined });
    expect(holdUntilVisible(healthy, { visible: true })).toBe(healthy);
    const exited = { status: 'exited' as const, health: 'none' as const, startedAt: undefined };
    expect(holdUntilVisible(exited, waiting)).toBe(exited);
  });
});

describe('a swarm service’s state, held until its name is known on every node', () => {
  // A swarm manager as far as serviceState needs one: services, their tasks, two active nodes.
  function fakeManager() {
    const specs = new Map<string, { Name?: string }>();
    const tasks = new Map<string, SwarmTask[]>();
    const removed: string[] = [];
    // Held lookups of a watch's tasks, released by the test: the window in which another poll ends the watch.
    const held: { on: boolean; waiting: Array<() => void> } = { on: false, waiting: [] };
    let made = 0;
    const docker = {
      createService: async (spec: { Name?: string }) => {
        const id = spec.Name?.includes('-envtest-names-') ? `watch-${++made}` : spec.Name!;
        specs.set(id, spec);
        return { id };
      },
      getService: (id: string) => ({
        inspect: async () => {
          if (!specs.has(id)) throw Object.assign(new Error('no such service'), { statusCode: 404 });
          return { ID: id, Spec: specs.get(id) };
        },
        remove: async () => void removed.push(id),
      }),
      listTasks: async ({ filters }: { filters: { service: string[] } }) => {
        const id = filters.service[0]!;
        if (held.on && id.startsWith('watch-')) await new Promise<void>((r) => held.waiting.push(r));
        // As the engine does: a service filter naming a removed service is an error, not an empty list.
        if (removed.includes(id)) throw Object.assign(new Error(`service ${id} not found`), { statusCode: 404 });
        return tasks.get(id) ?? [];
      },
      getImage: () => ({ inspect: async () => ({ Config: {} }) }),
      listNodes: async () => ['a', 'b'].map((id) => ({ ID: id, Description: { Hostname: `node-${id}` }, Status: { State: 'ready' }, Spec: { Availability: 'active' } })),
    };
    return { docker, specs, tasks, removed, held };
  }

  async function started(config: ServiceConfig) {
    const manager = fakeManager();
    const backend = new SwarmBackend({ sweepImage: 'envtest/sidecar:latest' }, {}, { host: 'unix:///nowhere.sock', context: 'default', chosenBy: 'the test' }, manager.docker as never);
    const id = await backend.startService(serviceContainerSpec('db', config, 'envtest/base:bookworm', ctx));
    const watch = [...manager.specs.keys()].find((k) => k.startsWith('watch-'))!;
    return { ...manager, backend, id, watch };
  }
  const ctx: RunContext = { runId: 'r1', project: 'shop', networks: { default: 'shop-r1-default' }, volumes: {}, containerIds: {}, extraLabels: {} };
  const running = (node: string): SwarmTask => ({ ...task(node, 'running'), Slot: 1, Status: { State: 'running', Timestamp: '2026-11-30T00:00:00Z' } });

  it('healthy counts only once the name watch has completed on every node; until then the reason names the node', async () => {
    const m = await started({ image: 'x', healthcheck: { test: ['CMD', 'true'] } } as ServiceConfig);
    expect(m.watch).toBeDefined();
    m.tasks.set(m.id, [running('a')]);
    m.tasks.set(m.watch, [task('a', 'complete'), task('b', 'running')]);
    expect(await m.backend.serviceState(m.id)).toMatchObject({ status: 'running', health: 'starting', lastHealthOutput: 'healthy; its name does not resolve yet on node-b' });
    m.tasks.set(m.watch, [task('a', 'complete'), task('b', 'complete')]);
    expect(await m.backend.serviceState(m.id)).toMatchObject({ status: 'running', health: 'healthy' });
    // Its job is over: it goes now, so its tasks leave the overlay while the run goes on.
    await new Promise((r) => setImmediate(r));
    expect(m.removed).toEqual([m.watch]);
    m.tasks.set(m.watch, []);
    expect(await m.backend.serviceState(m.id)).toMatchObject({ status: 'running', health: 'healthy' });
  });

  it('replicas of one compose service share one watch', async () => {
    const m = await started({ image: 'x', healthcheck: { test: ['CMD', 'true'] } } as ServiceConfig);
    const second = await m.backend.startService(serviceContainerSpec('db', { image: 'x', healthcheck: { test: ['CMD', 'true'] } } as ServiceConfig, 'envtest/base:bookworm', ctx, 2));
    expect([...m.specs.keys()].filter((k) => k.startsWith('watch-'))).toEqual([m.watch]);
    m.tasks.set(second, [running('b')]);
    m.tasks.set(m.watch, [task('a', 'running'), task('b', 'complete')]);
    expect(await m.backend.serviceState(second)).toMatchObject({ health: 'starting', lastHealthOutput: 'healthy; its name does not resolve yet on node-a' });
  });

  it('replicas asking at once while their watch ends share one look, so none lists the tasks of the removed watch', async () => {
    const m = await started({ image: 'x', healthcheck: { test: ['CMD', 'true'] } } as ServiceConfig);
    const second = await m.backend.startService(serviceContainerSpec('db', { image: 'x', healthcheck: { test: ['CMD', 'true'] } } as ServiceConfig, 'envtest/base:bookworm', ctx, 2));
    m.tasks.set(m.id, [running('a')]);
    m.tasks.set(second, [running('b')]);
    m.tasks.set(m.watch, [task('a', 'complete'), task('b', 'complete')]);
    const settle = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setImmediate(r));
    };
    m.held.on = true;
    const first = m.backend.serviceState(m.id);
    await settle(() => m.held.waiting.length > 0);
    const other = m.backend.serviceState(second);
    await settle(() => m.held.waiting.length > 1);
    expect(m.held.waiting, 'the second look shares the first').toHaveLength(1);
    // The first look ends the watch, and the watch is removed, before any other look is answered.
    m.held.waiting.shift()!();
    await settle(() => m.removed.length > 0);
    expect(m.removed).toEqual([m.watch]);
    m.held.on = false;
    for (const release of m.held.waiting.splice(0)) release();
    expect(await first).toMatchObject({ health: 'healthy' });
    expect(await other).toMatchObject({ health: 'healthy' });
  });

  it('a watch ended while a look is out (its service exited) and removed under it counts as over, not as an error', async () => {
    const m = await started({ image: 'x', healthcheck: { test: ['CMD', 'true'] } } as ServiceConfig);
    const settle = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setImmediate(r));
    };
    m.tasks.set(m.id, [running('a')]);
    m.tasks.set(m.watch, [task('a', 'running'), task('b', 'running')]);
    m.held.on = true;
    const looking = m.backend.serviceState(m.id);
    await settle(() => m.held.waiting.length > 0);
    expect(m.held.waiting).toHaveLength(1);
    // Meanwhile the service exits: its watch is forgotten and removed before the look is answered.
    m.held.on = false;
    m.tasks.set(m.id, [{ ...task('a', 'complete'), Slot: 1 }]);
    expect(await m.backend.serviceState(m.id)).toMatchObject({ status: 'exited' });
    await settle(() => m.removed.length > 0);
    expect(m.removed).toEqual([m.watch]);
    m.held.waiting.shift()!();
    // The look began while the service ran: that is what it reports, with nothing left to wait for.
    await expect(looking).resolves.toMatchObject({ status: 'running', health: 'healthy' });
  });

  it('a service without a check is not started until its name is known everywhere', async () => {
    const m = await started({ image: 'x' } as ServiceConfig);
    m.tasks.set(m.id, [running('b')]);
    m.tasks.set(m.watch, [task('a', 'running'), task('b', 'complete')]);
    expect(await m.backend.serviceState(m.id)).toMatchObject({ status: 'created', health: 'none' });
    m.tasks.set(m.watch, [task('a', 'complete'), task('b', 'complete')]);
    expect(await m.backend.serviceState(m.id)).toMatchObject({ status: 'running', startedAt: '2026-11-30T00:00:00Z' });
  });

  it('a service that exited is reported as it is, and its watch is removed', async () => {
    const m = await started({ image: 'x' } as ServiceConfig);
    m.tasks.set(m.id, [{ ...task('a', 'complete'), Slot: 1 }]);
    expect(await m.backend.serviceState(m.id)).toMatchObject({ status: 'exited', exitCode: 0 });
    await new Promise((r) => setImmediate(r));
    expect(m.removed).toEqual([m.watch]);
  });
});
