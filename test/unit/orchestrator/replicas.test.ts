// `scale` / `deploy.replicas` on the start path: one container per replica, named and labelled as
// compose numbers them, all waited on, and what compose refuses about them refused before any engine call.
import { describe, expect, it } from 'vitest';
import { EnvironmentError, ValidationError } from '../../../src/errors.js';
import type { ComposeProject } from '../../../src/model/project.js';
import { replicasOf } from '../../../src/orchestrator/lifecycle/environment.js';
import { checkReplicas } from '../../../src/orchestrator/spec/replicas.js';
import { up } from '../../../src/orchestrator/lifecycle/up.js';
import { FakeRuntime } from './fake-runtime.js';

const scaled: ComposeProject = {
  name: 'p',
  services: {
    web: { image: 'x', scale: 3 },
    client: { image: 'x', depends_on: { web: { condition: 'service_started', required: true, restart: false } } },
  },
};

function problems(project: ComposeProject, publish?: 'free' | 'declared'): string[] {
  try {
    checkReplicas(project, { publish, locate: (path) => ({ file: 'compose.yaml', line: path.length }) });
    return [];
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return e.problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
  }
}

describe('replicas', () => {
  it('creates one container per replica, named <project>-<run>-<service>-<n> and labelled with its number', async () => {
    const runtime = new FakeRuntime();
    const env = await up({ runtime, project: scaled, runId: 'r1' });
    try {
      const web = [...runtime.containers.values()].filter((c) => c.spec.labels['envtest.service'] === 'web');
      expect(web.map((c) => [c.spec.name, c.spec.labels['envtest.replica'], c.spec.labels['envtest.role']]).sort()).toEqual([
        ['p-r1-web-1', '1', 'service'],
        ['p-r1-web-2', '2', 'service'],
        ['p-r1-web-3', '3', 'service'],
      ]);
      // Every replica answers on the service name.
      for (const c of web) expect(c.spec.networks?.[0]?.aliases).toContain('web');
      expect(replicasOf(env.services.web!).map((r) => r.containerName)).toEqual(['p-r1-web-1', 'p-r1-web-2', 'p-r1-web-3']);
      expect(env.services.web!.containerName).toBe('p-r1-web-1');
      // A service with one container keeps its plain name.
      expect(env.services.client!.containerName).toBe('p-r1-client');
      expect(replicasOf(env.services.client!)).toHaveLength(1);
    } finally {
      await env.down();
    }
    expect(runtime.resourceCount).toBe(0);
  });

  it('fails when one replica fails, naming it, and removes every replica', async () => {
    const runtime = new FakeRuntime({ exitsAtStart: { 'p-r2-web-2': 1, 'p-r2b-web-2': 1 } });
    await expect(up({ runtime, project: scaled, runId: 'r2' })).rejects.toThrow(EnvironmentError);
    await expect(up({ runtime, project: scaled, runId: 'r2b' })).rejects.toThrow('service web (replica 2) exited with code 1');
    // The dependent waited for every replica: it was never created.
    expect([...runtime.containers.values()].some((c) => c.spec.labels['envtest.service'] === 'client')).toBe(false);
    expect(runtime.resourceCount).toBe(0);
  });

  it('refuses container_name, a count of 0 and (publishing as declared) a fixed host port, as compose does', () => {
    const project: ComposeProject = {
      name: 'p',
      services: {
        named: { image: 'x', scale: 2, container_name: 'one' },
        none: { image: 'x', deploy: { replicas: 0 } },
        web: { image: 'x', scale: 2, ports: [{ target: 80, published: '8080', protocol: 'tcp' }, { target: 81, published: '9000-9010', protocol: 'tcp' }, { target: 82, protocol: 'tcp' }] },
      },
    };
    expect(problems(project, 'declared')).toEqual([
      '3 services.named.container_name: cannot be used with 2 replicas: each container needs its own name (docker compose refuses it too); remove container_name to scale the service',
      '4 services.none.deploy.replicas: is 0: not supported yet (a service with no container cannot be waited on or checked; planned): remove the service, or give it a profile that is not active',
      '4 services.web.ports[0]: publishes host port 8080 for 2 replicas, but one host port serves one container: give a range (8080-8081:80), leave the host port out, or publish on free ports (the default)',
    ]);
    // On free host ports (the default) the declared numbers are not used, so nothing conflicts.
    expect(problems({ name: 'p', services: { web: project.services.web! } })).toEqual([]);
  });
});
