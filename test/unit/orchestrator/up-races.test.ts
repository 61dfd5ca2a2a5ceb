import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, InterruptedError } from '../../../src/errors.js';
import type { ComposeProject } from '../../../src/model/project.js';
import { up } from '../../../src/orchestrator/lifecycle/up.js';
import { FakeRuntime } from './fake-runtime.js';

const project: ComposeProject = {
  name: 'p',
  services: { bad: { image: 'x' }, slow: { image: 'x' }, other: { image: 'x' } },
  volumes: { data: {} },
};

describe('up() under races', () => {
  it('waits for a sibling still being created before tearing down, so nothing outlives a failed start', async () => {
    const runtime = new FakeRuntime({ exitsAtStart: { bad: 1 }, createDelayMs: { slow: 300 } });
    await expect(up({ runtime, project, runId: 'r1' })).rejects.toThrow(EnvironmentError);
    await new Promise((r) => setTimeout(r, 400)); // past the slow create: a leak would show now
    expect(runtime.resourceCount).toBe(0);
  });

  it('an abort while networks are being created stops the start and removes what was made', async () => {
    const runtime = new FakeRuntime({ networkDelayMs: 100 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new InterruptedError('SIGINT')), 30);
    await expect(up({ runtime, project, runId: 'r2', signal: controller.signal })).rejects.toBeInstanceOf(InterruptedError);
    expect(runtime.resourceCount).toBe(0);
    expect([...runtime.containers.values()].some((c) => c.state.status === 'running')).toBe(false);
  });

  it('a run id taken by another process mid-start: the reaper is removed, not left to reap the other run', async () => {
    const runtime = new FakeRuntime({ networkConflict: (rt) => rt.createVolume('theirs', { 'envtest.run': 'r4' }) });
    await expect(up({ runtime, project, runId: 'r4', reaper: { image: 'x' } })).rejects.toThrow('run id r4 was taken by another envtest process');
    await new Promise((r) => setTimeout(r, 50)); // past the fake reaper's grace
    expect(runtime.volumes.has('theirs')).toBe(true);
    expect([...runtime.containers.values()].filter((c) => c.spec.labels['envtest.role'] === 'reaper')).toEqual([]);
  });

  it('a failed start tears down first, so log streams of services still running end at once instead of being waited for', async () => {
    const runtime = new FakeRuntime({ exitsAtStart: { bad: 1 }, createDelayMs: { bad: 50 } });
    const logsDir = mkdtempSync(join(tmpdir(), 'envtest-logs-'));
    try {
      const started = Date.now();
      await expect(up({ runtime, project, runId: 'r5', logsDir })).rejects.toThrow(EnvironmentError);
      // The log flush gives up on open streams after 3 s; torn down first, nothing stays open.
      expect(Date.now() - started).toBeLessThan(2000);
      expect(runtime.resourceCount).toBe(0);
    } finally {
      rmSync(logsDir, { recursive: true, force: true });
    }
  });

  it('refuses a run id that already has resources, without touching them', async () => {
    const runtime = new FakeRuntime();
    await runtime.createVolume('someone-elses', { 'envtest.run': 'r3' });
    await expect(up({ runtime, project, runId: 'r3' })).rejects.toThrow('run id r3 is already in use');
    expect(runtime.volumes.has('someone-elses')).toBe(true);
  });

  it('makes the run\'s resources once the reaper runs holding the connection, without waiting for its word', async () => {
    const order: string[] = [];
    class SlowToSpeak extends FakeRuntime {
      override async startContainer(id: string) {
        await super.startContainer(id);
        if (this.containers.get(id)?.spec.labels['envtest.role'] === 'reaper') order.push('reaper running');
      }
      override async attachStdin(id: string) {
        const held = await super.attachStdin(id);
        // The reaper checks its engine before it says it is watching: here that takes 100 ms.
        const output = new PassThrough();
        setTimeout(() => {
          order.push('reaper watching');
          held.output.pipe(output);
        }, 100);
        return { ...held, output };
      }
      override async createNetwork(spec: Parameters<FakeRuntime['createNetwork']>[0]) {
        order.push('network');
        return super.createNetwork(spec);
      }
    }
    const runtime = new SlowToSpeak();
    const env = await up({ runtime, project: { name: 'p', services: { one: { image: 'x' } } }, runId: 'r5', reaper: { image: 'x' } });
    expect(order).toEqual(['reaper running', 'network', 'reaper watching']);
    await env.down();
    expect(runtime.resourceCount).toBe(0);
  });

  it('begins the work beside the stack (the sidecar) once every service that waits for nothing has started, not before', async () => {
    const order: string[] = [];
    class Recording extends FakeRuntime {
      override async startContainer(id: string) {
        await super.startContainer(id);
        order.push(`started ${this.containers.get(id)!.spec.labels['envtest.service']}`);
      }
    }
    // `late` waits for `slow` to be started: it is not in the first wave, so the work begins before it.
    const stack: ComposeProject = {
      name: 'p',
      services: { fast: { image: 'x' }, slow: { image: 'x' }, late: { image: 'x', depends_on: { slow: { condition: 'service_started', required: true, restart: false } } } },
    };
    const runtime = new Recording({ createDelayMs: { slow: 100, late: 100 } });
    const env = await up({
      runtime,
      project: stack,
      runId: 'r7',
      beside: async (networks) => {
        order.push('beside');
        expect(Object.keys(networks)).toEqual(['default']);
      },
    });
    expect(order).toEqual(['started fast', 'started slow', 'beside', 'started late']);
    await env.down();
    expect(runtime.resourceCount).toBe(0);
  });

  it('a start that fails before the first wave has started still ends the work beside it, and leaves nothing', async () => {
    let began = false;
    const runtime = new FakeRuntime({ exitsAtStart: { bad: 1 }, createDelayMs: { slow: 200 } });
    await expect(up({ runtime, project, runId: 'r8', beside: async () => void (began = true) })).rejects.toThrow(EnvironmentError);
    expect(runtime.resourceCount).toBe(0);
    expect(began).toBe(false);
  });

  it('sweeps other runs\' reapers that never started beside its own reaper\'s start, not before it', async () => {
    const order: string[] = [];
    class SlowSweep extends FakeRuntime {
      override async list(selector: Parameters<FakeRuntime['list']>[0]) {
        const found = await super.list(selector);
        if (selector['envtest.role'] === 'reaper') {
          await new Promise((r) => setTimeout(r, 100));
          order.push('orphans listed');
        }
        return found;
      }
      override async startContainer(id: string) {
        await super.startContainer(id);
        if (this.containers.get(id)?.spec.labels['envtest.role'] === 'reaper') order.push('reaper running');
      }
    }
    const runtime = new SlowSweep();
    // A SIGKILL between another run's reaper create and start left this (no creation time: counted as old).
    const orphan = await runtime.createContainer({ name: 'gone-reaper', image: 'x', labels: { 'envtest.run': 'gone', 'envtest.role': 'reaper' }, networks: [] } as never);
    const env = await up({ runtime, project, runId: 'r9', reaper: { image: 'x' } });
    expect(order).toEqual(['reaper running', 'orphans listed']);
    expect(runtime.containers.has(orphan)).toBe(false);
    await env.down();
    expect(runtime.resourceCount).toBe(0);
  });

  it('after a start, follows the logs and reads the state side by side, and the readiness wait starts from that state', async () => {
    const calls: string[] = [];
    class Recording extends FakeRuntime {
      override async logs(id: string, opts: { follow: boolean }) {
        calls.push('logs asked');
        await new Promise((r) => setTimeout(r, 100));
        calls.push('logs answered');
        return super.logs(id, opts);
      }
      override async inspectContainer(id: string) {
        calls.push('state asked');
        return super.inspectContainer(id);
      }
    }
    const logsDir = mkdtempSync(join(tmpdir(), 'envtest-logs-'));
    try {
      const runtime = new Recording();
      const env = await up({ runtime, project: { name: 'p', services: { one: { image: 'x' } } }, runId: 'r10', logsDir });
      const afterStart = calls.slice(calls.indexOf('logs asked'));
      // Both asked before either answers; then only the readiness wait's own polling (the 1 s rule).
      expect(afterStart.slice(0, 3)).toEqual(['logs asked', 'state asked', 'logs answered']);
      expect(calls.filter((c) => c === 'state asked').length).toBeLessThanOrEqual(3);
      await env.down();
      expect(runtime.resourceCount).toBe(0);
    } finally {
      rmSync(logsDir, { recursive: true, force: true });
    }
  });
});
