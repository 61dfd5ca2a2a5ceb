import { describe, expect, it } from 'vitest';
import { serviceContainerSpec, type RunContext } from '../../../src/orchestrator/spec/service-spec.js';
import { swarmServiceSpec } from '../../../src/runtime/swarm/service-spec.js';
import { summarizeTasks, type SwarmTask } from '../../../src/runtime/swarm/task-state.js';
import type { ServiceConfig } from '../../../src/model/project.js';

const ctx: RunContext = { runId: 'r1', project: 'shop', networks: { default: 'shop-r1-default' }, volumes: { data: 'shop-r1-data' }, containerIds: {}, extraLabels: {} };

function mapped(config: ServiceConfig) {
  return swarmServiceSpec(serviceContainerSpec('db', config, 'registry:5000/shop-db:abc', ctx));
}

describe('compose service → swarm ServiceSpec', () => {
  it('labels the service and its tasks’ containers with the run, and names aliases on the run network', () => {
    const { spec } = mapped({ image: 'x', container_name: 'database', networks: { default: { aliases: ['pg'] } } } as ServiceConfig);
    expect(spec.Name).toBe('shop-r1-db');
    for (const labels of [spec.Labels, spec.TaskTemplate.ContainerSpec.Labels as Record<string, string>]) {
      expect(labels).toMatchObject({ 'envtest.run': 'r1', 'envtest.project': 'shop', 'envtest.service': 'db', 'envtest.role': 'service' });
    }
    expect(spec.TaskTemplate.Networks).toEqual([{ Target: 'shop-r1-default', Aliases: ['db', 'database', 'pg'] }]);
    // A crash is seen, not rescheduled away.
    expect(spec.TaskTemplate.RestartPolicy).toEqual({ Condition: 'none' });
  });

  it('keeps entrypoint and command apart as swarm Command and Args, and converts the health check to nanoseconds', () => {
    const { spec } = mapped({ image: 'x', entrypoint: ['/bin/sh', '-c'], command: ['run'], healthcheck: { test: ['CMD', 'true'], interval: '1s', retries: 3 } } as ServiceConfig);
    const c = spec.TaskTemplate.ContainerSpec;
    expect(c.Command).toEqual(['/bin/sh', '-c']);
    expect(c.Args).toEqual(['run']);
    expect(c.Healthcheck).toEqual({ Test: ['CMD', 'true'], Interval: 1_000_000_000, Retries: 3 });
  });

  it('honours placement and resources; each compose replica is its own one-task service', () => {
    const config = {
      image: 'x',
      deploy: { replicas: 3, placement: { constraints: ['node.role==worker'], max_replicas_per_node: 1 }, resources: { limits: { cpus: '0.5', memory: '64M' }, reservations: { cpus: '0.25' } } },
    } as unknown as ServiceConfig;
    const { spec } = mapped(config);
    expect(spec.Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(spec.TaskTemplate.Placement).toEqual({ Constraints: ['node.role==worker'], MaxReplicas: 1 });
    expect(spec.TaskTemplate.Resources).toEqual({ Limits: { NanoCPUs: 500_000_000, MemoryBytes: 64 * 1024 * 1024 }, Reservations: { NanoCPUs: 250_000_000 } });
  });

  it('labels a named volume with the run, so each node’s copy is found there', () => {
    const { spec } = mapped({ image: 'x', volumes: [{ type: 'volume', source: 'data', target: '/data' }] } as ServiceConfig);
    expect(spec.TaskTemplate.ContainerSpec.Mounts).toEqual([{ Type: 'volume', Source: 'shop-r1-data', Target: '/data', VolumeOptions: { Labels: { 'envtest.run': 'r1', 'envtest.project': 'shop' } } }]);
  });

  it('names what a swarm task cannot carry instead of dropping it silently', () => {
    const { ignored } = mapped({ image: 'x', privileged: true, network_mode: 'host' } as ServiceConfig);
    expect(ignored).toEqual(expect.arrayContaining(['privileged', 'network_mode']));
  });

  it('mounts copied files as swarm configs at their target', () => {
    const container = serviceContainerSpec('db', { image: 'x' } as ServiceConfig, 'x', ctx);
    const { spec } = swarmServiceSpec(container, [{ configId: 'c1', configName: 'shop-r1-db-0', target: '/run/secrets/pw', mode: 0o400 }]);
    expect(spec.TaskTemplate.ContainerSpec.Configs).toEqual([{ ConfigID: 'c1', ConfigName: 'shop-r1-db-0', File: { Name: '/run/secrets/pw', UID: '0', GID: '0', Mode: 0o400 } }]);
  });
});

const task = (state: string, extra: Partial<SwarmTask> = {}): SwarmTask => ({ ID: `t-${state}-${extra.Slot ?? 1}`, Slot: 1, NodeID: 'n1', CreatedAt: '2026-01-01T00:00:00Z', Status: { State: state, Timestamp: '2026-01-01T00:00:01Z' }, ...extra });

describe('swarm tasks → one readiness state', () => {
  it('is starting while a task with a health check has not passed it, healthy once running', () => {
    expect(summarizeTasks([task('starting')], 1, true)).toMatchObject({ status: 'running', health: 'starting' });
    expect(summarizeTasks([task('running')], 1, true, new Map([['n1', 'node-2']]))).toMatchObject({ status: 'running', health: 'healthy', nodes: ['node-2'] });
  });

  it('waits for every replica before a service without a health check counts as started', () => {
    expect(summarizeTasks([task('running'), task('pending', { Slot: 2 })], 2, false).status).toBe('created');
    expect(summarizeTasks([task('running'), task('running', { Slot: 2, NodeID: 'n2' })], 2, false)).toMatchObject({ status: 'running', nodes: ['n1', 'n2'] });
  });

  it('a completed one-shot is exited 0; a failed task is exited with its code; an unhealthy one is unhealthy', () => {
    expect(summarizeTasks([task('complete')], 1, false)).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(summarizeTasks([task('failed', { Status: { State: 'failed', Err: 'task: non-zero exit (2)', ContainerStatus: { ExitCode: 2 } } })], 1, false)).toMatchObject({ status: 'exited', exitCode: 2 });
    expect(summarizeTasks([task('failed', { Status: { State: 'failed', Err: 'task: unhealthy container' } })], 1, true)).toMatchObject({ health: 'unhealthy' });
  });
});

describe('service names on the overlay', () => {
  it('resolve to the tasks (DNS round robin) unless deploy.endpoint_mode asks for a virtual IP', () => {
    expect(mapped({ image: 'x' } as ServiceConfig).spec.EndpointSpec).toEqual({ Mode: 'dnsrr' });
    expect(mapped({ image: 'x', deploy: { endpoint_mode: 'vip' } } as unknown as ServiceConfig).spec.EndpointSpec).toEqual({ Mode: 'vip' });
  });
});
