// What a swarm task cannot carry is named by the compose key the user wrote, and the orchestrator
// warns about each key once per service (not once per replica), instead of dropping it silently.
import { describe, expect, it } from 'vitest';
import type { ComposeProject, ServiceConfig } from '../../../src/model/project.js';
import { serviceContainerSpec, type RunContext } from '../../../src/orchestrator/spec/service-spec.js';
import { up } from '../../../src/orchestrator/lifecycle/up.js';
import type { ProgressEvent } from '../../../src/orchestrator/lifecycle/progress.js';
import type { BackendLimits } from '../../../src/runtime/runtime.js';
import { leftOutOfSwarm, swarmServiceSpec } from '../../../src/runtime/swarm/service-spec.js';
import { FakeRuntime } from '../orchestrator/fake-runtime.js';

const ctx: RunContext = { runId: 'r1', project: 'shop', networks: { default: 'shop-r1-default' }, volumes: {}, containerIds: {}, extraLabels: {}, publish: 'declared' };
const leftOut = (config: Partial<ServiceConfig>) => leftOutOfSwarm(serviceContainerSpec('db', { image: 'x', ...config } as ServiceConfig, 'x', ctx));

describe('what a swarm task cannot carry', () => {
  it('is nothing for a service a swarm runs as written: health check, limits, volumes, env, placement', () => {
    expect(
      leftOut({
        environment: { A: '1' },
        healthcheck: { test: ['CMD', 'true'], interval: '1s' },
        deploy: { replicas: 2, resources: { limits: { cpus: '0.5', memory: '64M', pids: 50 }, reservations: { memory: '32M' } } },
        volumes: [{ type: 'tmpfs', target: '/scratch' }],
        cap_add: ['NET_ADMIN'],
        restart: 'no',
        expose: ['80'],
      } as Partial<ServiceConfig>),
    ).toEqual([]);
  });

  it('names each key as compose spells it', () => {
    const keys = leftOut({
      privileged: true,
      network_mode: 'none',
      shm_size: '64m',
      security_opt: ['no-new-privileges'],
      cpu_shares: 512,
      blkio_config: { weight: 300 },
      restart: 'always',
      ports: [{ target: 80, protocol: 'tcp' }],
      healthcheck: { test: ['CMD', 'true'], start_interval: '1s' },
      tmpfs: ['/run:size=1m'],
    } as unknown as Partial<ServiceConfig>);
    expect(keys.sort()).toEqual(
      ['blkio_config', 'cpu_shares', 'healthcheck.start_interval', 'network_mode', 'ports', 'privileged', 'restart', 'security_opt', 'shm_size', 'tmpfs options'].sort(),
    );
  });

  it('names a fixed address on a network', () => {
    expect(leftOut({ networks: { default: { ipv4_address: '10.5.0.9' } } } as Partial<ServiceConfig>)).toEqual(['networks.ipv4_address']);
  });

  it('is what the service spec reports as ignored', () => {
    const spec = serviceContainerSpec('db', { image: 'x', privileged: true, shm_size: '1m' } as unknown as ServiceConfig, 'x', ctx);
    expect(swarmServiceSpec(spec).ignored).toEqual(leftOutOfSwarm(spec));
    expect(swarmServiceSpec(spec).spec.TaskTemplate.ContainerSpec).not.toHaveProperty('Privileged');
  });
});

class SwarmLikeRuntime extends FakeRuntime {
  override readonly limits: BackendLimits = { shareNetworkNamespace: true, buildsNeedRegistry: false, spreadsOverNodes: false, leftOut: leftOutOfSwarm };
}

describe('the warning', () => {
  it('comes once per service and key, however many replicas, and not for a service that loses nothing', async () => {
    const project: ComposeProject = {
      name: 'p',
      services: {
        web: { image: 'x', scale: 3, privileged: true, shm_size: '64m' } as unknown as ServiceConfig,
        db: { image: 'x', privileged: true } as ServiceConfig,
        plain: { image: 'x' },
      },
    };
    const events: ProgressEvent[] = [];
    const runtime = new SwarmLikeRuntime();
    const env = await up({ runtime, project, runId: 'r1', progress: (e) => events.push(e) });
    await env.down();
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.message] : [])).sort();
    expect(warnings).toEqual([
      'service db: privileged is left out, this backend cannot carry it (the service runs without it)',
      'service web: privileged is left out, this backend cannot carry it (the service runs without it)',
      'service web: shm_size is left out, this backend cannot carry it (the service runs without it)',
    ]);
  });

  it('is not given by a backend that carries everything (Docker)', async () => {
    const events: ProgressEvent[] = [];
    const env = await up({ runtime: new FakeRuntime(), project: { name: 'p', services: { web: { image: 'x', privileged: true } as ServiceConfig } }, runId: 'r2', progress: (e) => events.push(e) });
    await env.down();
    expect(events.filter((e) => e.type === 'warning')).toEqual([]);
  });
});
