// `deploy.replicas` / `scale` on the real engine: N containers of one service, named and labelled
// as compose numbers them, all behind the service's DNS name, each on its own name too; checks
// reach them from the sidecar; logs, ports and teardown cover every replica.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, fixture, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const runId = runIdsRemovedAfterAll(afterAll);
const compose = fixture('stack-replicas/compose.yaml');

const webContainers = async (id: string) =>
  (await docker(['ps', '-a', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.service=web', '--format', '{{.Names}} {{.Label "envtest.replica"}} {{.Label "envtest.role"}}']))
    .split('\n')
    .filter(Boolean)
    .sort();

describe('replicated services', () => {
  it('up: three web containers behind the name web, each on its own name and host port; logs and ports per replica; down leaves nothing', async () => {
    const id = runId('replicas');
    const up = await envtest(['up', '-f', compose, '--run-id', id, '--publish']);
    expect(up.exitCode, up.all).toBe(0);
    expect(await webContainers(id)).toEqual([1, 2, 3].map((n) => `replicas-${id}-web-${n} ${n} service`));

    // The client waited for every replica to be healthy (depends_on service_healthy).
    const client = (await docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.service=client'])).trim();
    const clientStarted = Date.parse(await docker(['inspect', client, '--format', '{{.State.StartedAt}}']));
    // Healthy may be seen by envtest's own run of the check before the engine's, so the check itself
    // notes when it first passed.
    for (const n of [1, 2, 3]) {
      const firstHealthy = Number((await docker(['exec', `replicas-${id}-web-${n}`, 'cat', '/tmp/healthy-at'])).trim());
      expect(firstHealthy).toBeGreaterThan(0);
      expect(firstHealthy).toBeLessThanOrEqual(clientStarted);
    }

    // The service name resolves to all three; each container name reaches its own replica.
    const addresses = new Set((await docker(['exec', client, 'getent', 'ahostsv4', 'web'])).split('\n').map((l) => l.split(/\s+/)[0]).filter(Boolean));
    expect(addresses.size).toBe(3);
    for (const n of [1, 2, 3]) {
      const who = (await docker(['exec', client, 'curl', '-fs', `http://replicas-${id}-web-${n}:8080/who`])).trim();
      expect(who).toBe((await docker(['inspect', `replicas-${id}-web-${n}`, '--format', '{{.Config.Hostname}}'])).trim());
    }

    // Each replica has its own ephemeral host port.
    const hostPorts = await Promise.all([1, 2, 3].map(async (n) => (await docker(['port', `replicas-${id}-web-${n}`, '8080/tcp'])).split('\n')[0]!.split(':').at(-1)));
    expect(new Set(hostPorts).size).toBe(3);

    // `envtest logs` tells the replicas apart as docker compose logs does.
    const logs = await envtest(['logs', id, 'web']);
    expect(logs.exitCode, logs.all).toBe(0);
    for (const n of [1, 2, 3]) expect(logs.stdout).toMatch(new RegExp(`^web-${n}\\s+\\| web serving as `, 'm'));

    // The port inventory judges 8080 on every replica.
    const ports = await envtest(['ports', '--attach', id, '--format', 'json']);
    expect(ports.exitCode, ports.all).toBe(0);
    const web = (JSON.parse(ports.stdout) as { services: Record<string, { port: number; finding: string; replicas?: { replica: number; finding: string }[] }[]> }).services.web!;
    expect(web.find((p) => p.port === 8080)).toMatchObject({ finding: 'ok', replicas: [1, 2, 3].map((replica) => ({ replica, finding: 'ok' })) });

    const down = await envtest(['down', id]);
    expect(down.exitCode, down.all).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('run: checks from the sidecar reach the service name and each replica; logs/web.log holds every replica, prefixed', async () => {
    const id = runId('replicas-run');
    const artifacts = await mkdtemp(join(tmpdir(), 'envtest-replicas-'));
    const run = await envtest(['run', '-f', compose, '--run-id', id, '--checks', fixture('stack-replicas/checks.yaml'), '--artifacts', artifacts], { env: { RUN_ID: id } });
    expect(run.exitCode, run.all).toBe(0);
    const report = JSON.parse(await readFile(join(artifacts, id, 'report.json'), 'utf8')) as { checks: { name: string; status: string }[] };
    expect(report.checks.map((c) => c.status)).toEqual(['passed', 'passed', 'passed']);
    const log = await readFile(join(artifacts, id, 'logs/web.log'), 'utf8');
    for (const n of [1, 2, 3]) expect(log).toMatch(new RegExp(`^web-${n} \\| web serving as `, 'm'));
    // The checks' requests show up in the log of the replica that answered them.
    expect(log).toMatch(/^web-\d \| .*"GET \/who HTTP\/1.1" 200/m);
    expect(await leftovers(id)).toEqual([]);
  });

  it('refuses container_name with replicas, and a fixed host port published as declared, before touching the engine', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'envtest-replicas-bad-'));
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: envtest/base:bookworm\n    container_name: web\n    ports: ["18080:80"]\n    scale: 2\n');
    const id = runId('replicas-bad');
    const result = await envtest(['up', '-f', join(dir, 'compose.yaml'), '--run-id', id, '--publish', 'declared']);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('compose.yaml:4 services.web.container_name: cannot be used with 2 replicas');
    expect(result.stderr).toContain('compose.yaml:5 services.web.ports[0]: publishes host port 18080 for 2 replicas');
    expect(await leftovers(id)).toEqual([]);
  });
});
