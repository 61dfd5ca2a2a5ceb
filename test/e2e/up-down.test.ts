// `envtest up`, `down` and `ls` on a real engine, driven through the CLI as a user runs them.
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, fixture, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const runId = runIdsRemovedAfterAll(afterAll);

describe('envtest up / down', () => {
  it('starts a chain using all three conditions and tears it down completely', async () => {
    const id = runId('chain');
    const result = await envtest(['up', '-f', fixture('stack-conditions.yaml'), '--run-id', id]);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain(`run ${id} is up`);
    expect(result.stdout).toContain(`envtest down ${id}`);

    const rows = (await docker(['ps', '-a', '--filter', `label=envtest.run=${id}`, '--format', '{{.Label "envtest.service"}} {{.State}} {{.Status}}'])).split('\n').sort();
    expect(rows.map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual(['api running', 'db running', 'migrate exited', 'worker running']);
    expect(rows.find((r) => r.startsWith('migrate'))).toContain('Exited (0)');
    const network = await docker(['network', 'ls', '--filter', `label=envtest.run=${id}`, '--format', '{{.Name}}']);
    expect(await docker(['network', 'inspect', network, '--format', '{{.Internal}}'])).toBe('true');

    const ls = await envtest(['ls']);
    expect(ls.stdout).toContain(id);

    const started = Date.now();
    const down = await envtest(['down', id]);
    expect(down.exitCode, down.all).toBe(0);
    expect(down.stdout).toMatch(/removed 4 containers, 1 networks/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await leftovers(id)).toEqual([]);
  });

  it('fails fast with exit 3 when a service exits at start, naming it and its last words', async () => {
    const id = runId('exits');
    const result = await envtest(['up', '-f', fixture('stack-exits-at-start.yaml'), '--run-id', id]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('api exited with code 3');
    expect(result.stderr).toContain('fatal: DATABASE_URL is not a valid URL');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await leftovers(id)).toEqual([]);
  });

  it('fails with exit 3 when a dependency never becomes healthy, showing its health output', async () => {
    const id = runId('unhealthy');
    const started = Date.now();
    const result = await envtest(['up', '-f', fixture('stack-never-healthy.yaml'), '--run-id', id, '--timeout', '30s']);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('db became unhealthy');
    expect(result.stderr).toContain('probe: connection refused');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await leftovers(id)).toEqual([]);
  });

  it('keeps a failed stack with --keep-on-failure until down removes it', async () => {
    const id = runId('kept');
    const result = await envtest(['up', '-f', fixture('stack-exits-at-start.yaml'), '--run-id', id, '--keep-on-failure']);
    expect(result.exitCode).toBe(3);
    expect((await leftovers(id)).length).toBeGreaterThan(0);
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('runs two ups of one project side by side despite a container_name and a host port', async () => {
    const [a, b] = [runId('twin-a'), runId('twin-b')];
    const upTwin = (id: string) => envtest(['up', '-f', fixture('stack-fixed-names.yaml'), '--run-id', id, '--publish']);
    const [ra, rb] = await Promise.all([upTwin(a), upTwin(b)]);
    expect(ra.exitCode, ra.all).toBe(0);
    expect(rb.exitCode, rb.all).toBe(0);
    const portA = /:(\d+)->80\/tcp/.exec(ra.stdout)![1];
    const portB = /:(\d+)->80\/tcp/.exec(rb.stdout)![1];
    expect(portA).not.toBe(portB);
    for (const id of [a, b]) {
      const probe = await docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.service=probe']);
      expect(await docker(['logs', probe])).toContain('reached the-web');
      const volumes = await docker(['volume', 'ls', '-q', '--filter', `label=envtest.run=${id}`]);
      expect(volumes).toBe(`fixednames-${id}_store`);
    }
    const down = await envtest(['down', a, b]);
    expect(down.exitCode, down.all).toBe(0);
    expect(await leftovers(a)).toEqual([]);
    expect(await leftovers(b)).toEqual([]);
  });

  it('down is idempotent', async () => {
    const result = await envtest(['down', 'never-existed-run']);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('removed 0 containers');
  });

  it('exits 4 and says where it looked when no engine answers', async () => {
    const result = await envtest(['up', '-f', fixture('stack-conditions.yaml')], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(result.exitCode, result.all).toBe(4);
    expect(result.stderr).toContain('no container engine answered at unix:///nonexistent/docker.sock');
  });
});
