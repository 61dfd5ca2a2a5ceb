// envtest's own health probe inside a whole start (up()), on the fake engine: the engine's check is
// slow (30 s interval) and never reports, so only envtest's probe can make the service healthy.
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import type { ComposeProject } from '../../../src/model/project.js';
import { up } from '../../../src/orchestrator/lifecycle/up.js';
import type { ContainerEvent, ContainerSpec, ExecSession, ExecSpec, Labels } from '../../../src/runtime/runtime.js';
import { fakeCheckExec } from './fake-check-exec.js';
import { FakeRuntime } from './fake-runtime.js';

/** The fake engine, with health checks that only `exec` can pass and an event stream for deaths. */
class ProbedRuntime extends FakeRuntime {
  /** Each run of a check, whether through envtest's session or an exec of its own. */
  readonly execs: { service: string; at: number }[] = [];
  private readonly listeners = new Set<(e: ContainerEvent) => void>();

  constructor(
    /** Per service: when (ms after its start) the check starts to pass; 'dies' exits 1 under the first probe. */
    private readonly passesAfterMs: Record<string, number | 'dies'>,
  ) {
    super();
  }

  override async createContainer(spec: ContainerSpec) {
    const id = await super.createContainer(spec);
    const c = this.containers.get(id)!;
    if (spec.healthcheck && spec.healthcheck !== 'disabled') c.state = { ...c.state, healthcheck: { ...spec.healthcheck } };
    return id;
  }

  override async startContainer(id: string) {
    await super.startContainer(id);
    const c = this.containers.get(id)!;
    if (c.state.healthcheck && c.state.status === 'running') c.state = { ...c.state, health: 'starting' };
  }

  override async exec(id: string, spec: ExecSpec): Promise<ExecSession> {
    const c = this.containers.get(id);
    if (!c || c.state.status !== 'running') throw new Error(`container ${id} is not running`);
    const service = c.spec.labels['envtest.service']!;
    const rule = this.passesAfterMs[service];
    const { session, exec } = fakeCheckExec(spec, async () => {
      this.execs.push({ service, at: Date.now() });
      if (rule === 'dies') {
        // The container dies while this run is in flight: the run never answers, the engine says die.
        setTimeout(() => {
          c.state = { ...c.state, status: 'exited', exitCode: 1, health: 'unhealthy' };
          exec.end();
          for (const l of this.listeners) l({ containerId: id, action: 'die', labels: c.spec.labels });
        }, 20);
        return new Promise<number>(() => undefined);
      }
      const up = Date.now() - Date.parse(c.state.startedAt!);
      return rule !== undefined && up >= rule ? 0 : 1;
    });
    return session;
  }

  override async *events(_labels: Labels, signal: AbortSignal) {
    const queue: ContainerEvent[] = [];
    let wake: (() => void) | undefined;
    const listener = (e: ContainerEvent) => {
      queue.push(e);
      wake?.();
    };
    this.listeners.add(listener);
    signal.addEventListener('abort', () => wake?.(), { once: true });
    try {
      while (!signal.aborted) {
        if (queue.length) yield queue.shift()!;
        else await new Promise<void>((r) => (wake = r));
      }
    } finally {
      this.listeners.delete(listener);
    }
  }
}

const slowCheck = { test: ['CMD', 'check'], interval: '30s', timeout: '2s', retries: 3 };

describe('envtest health probe in a start', () => {
  it('a service the engine would call healthy only after 30 s is ready once its own check passes, and its dependent starts then', async () => {
    const runtime = new ProbedRuntime({ db: 300 });
    const project: ComposeProject = {
      name: 'p',
      services: { db: { image: 'x', healthcheck: slowCheck }, app: { image: 'x', depends_on: { db: { condition: 'service_healthy', required: true, restart: false } } } },
    };
    const env = await up({ runtime, project, runId: 'hp1', timeoutMs: 20_000 });
    try {
      const db = env.services.db!;
      expect(db.readiness).toBe('healthy');
      expect(db.readinessSource).toBe('envtest probe');
      expect(db.readyAt! - db.startedAt).toBeLessThan(10_000); // functional bound: the engine's first check is 30 s away
      expect(env.services.app!.createdAt).toBeGreaterThanOrEqual(db.readyAt! - 50);
      expect(env.services.app!.readinessSource).toBeUndefined();
      const dbProbes = runtime.execs.filter((e) => e.service === 'db');
      expect(dbProbes.length).toBeGreaterThanOrEqual(2); // failed at first, passed later
      const probesSoFar = runtime.execs.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(runtime.execs).toHaveLength(probesSoFar); // stopped once ready
    } finally {
      await env.down();
    }
    expect(runtime.resourceCount).toBe(0);
  });

  it('a service whose container dies under a probe fails the start with its exit, and nothing is left', async () => {
    const runtime = new ProbedRuntime({ db: 'dies' });
    const project: ComposeProject = {
      name: 'p',
      services: { db: { image: 'x', healthcheck: slowCheck }, app: { image: 'x', depends_on: { db: { condition: 'service_healthy', required: true, restart: false } } } },
    };
    const error = await up({ runtime, project, runId: 'hp2', timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(/db exited with code 1/);
    expect(runtime.execs.filter((e) => e.service === 'db')).toHaveLength(1);
    expect(runtime.resourceCount).toBe(0);
    expect([...runtime.containers.values()].some((c) => c.spec.labels['envtest.service'] === 'app')).toBe(false);
  });
});
