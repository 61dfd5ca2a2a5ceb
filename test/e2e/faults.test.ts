// The fault suite: every way a run can be broken off or go wrong, and in each case nothing
// labelled with the run may remain. Through the CLI, on a real engine.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildStepContainers, docker, envtest, envtestProcess, fixture, leftovers, stderrSays, uniqueRunId, waitUntilGone } from '../support/cli.js';

const slowChecks = ['--checks', fixture('suite-slow.yaml')];

describe('signals', () => {
  it('SIGINT during create tears down and exits 130', async () => {
    const id = uniqueRunId('sigint');
    const proc = envtestProcess(['run', '-f', fixture('stack-slow-start.yaml'), ...slowChecks, '--run-id', id]);
    await stderrSays(proc, 'db started');
    proc.kill('SIGINT');
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(130);
    expect(await leftovers(id)).toEqual([]);
  });

  it('SIGTERM during checks tears down and exits 143', async () => {
    const id = uniqueRunId('sigterm');
    const proc = envtestProcess(['run', '-f', fixture('stack-tiny.yaml'), ...slowChecks, '--run-id', id]);
    await stderrSays(proc, 'api running');
    await new Promise((r) => setTimeout(r, 1500)); // the sidecar is running checks by now
    proc.kill('SIGTERM');
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(143);
    expect(await leftovers(id)).toEqual([]);
  });

  it('SIGKILL of the whole process group during checks: the reaper removes the run within 15s', async () => {
    const id = uniqueRunId('sigkill');
    const proc = envtestProcess(['run', '-f', fixture('stack-tiny.yaml'), ...slowChecks, '--run-id', id], { detached: true });
    await stderrSays(proc, 'api running');
    await new Promise((r) => setTimeout(r, 1500));
    const sidecar = await docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=sidecar']);
    expect(sidecar).not.toBe('');
    // Only the reaper holds the engine socket; the sidecar gets no mounts and no host network.
    expect(await docker(['inspect', sidecar, '--format', '{{len .Mounts}} {{.HostConfig.NetworkMode}}'])).toMatch(/^0 (?!host)/);
    const reaper = await docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=reaper']);
    expect(await docker(['inspect', reaper, '--format', '{{range .Mounts}}{{.Source}}{{end}}'])).toBe('/var/run/docker.sock');
    process.kill(-proc.pid!, 'SIGKILL');
    await proc;
    const tookMs = await waitUntilGone(id, 15_000);
    expect(tookMs).toBeLessThan(15_000);
  });
});

describe('more interruptions', () => {
  it('a second SIGINT forces removal at once and still exits 130', async () => {
    const id = uniqueRunId('force');
    const proc = envtestProcess(['run', '-f', fixture('stack-tiny.yaml'), ...slowChecks, '--run-id', id]);
    await stderrSays(proc, 'api running');
    proc.kill('SIGINT');
    // Two signals sent before the first is handled merge into one: send the second once it is heard.
    await stderrSays(proc, 'Ctrl-C again to force');
    proc.kill('SIGINT');
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(130);
    expect(result.stderr).toContain('forcing removal now');
    // The forced pass spares the reaper, which removes whatever landed after it, then itself.
    expect(await waitUntilGone(id, 15_000)).toBeLessThan(15_000);
  });

  it('SIGINT during a long build returns within 2 s with exit 130; the engine stops the build, nothing is left', async () => {
    const id = uniqueRunId('build');
    const proc = envtestProcess(['up', '-f', fixture('stack-slow-build/compose.yaml'), '--run-id', id], { env: { NONCE: id } });
    await stderrSays(proc, 'building');
    await new Promise((r) => setTimeout(r, 2000)); // the RUN step is under way on the engine
    expect(await buildStepContainers(id)).not.toEqual([]);
    const interrupted = Date.now();
    proc.kill('SIGINT');
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(130);
    expect(Date.now() - interrupted).toBeLessThan(2000);
    expect(await leftovers(id)).toEqual([]);
    // The engine saw the request go and stopped the build: its step container goes too.
    await expect.poll(() => buildStepContainers(id), { timeout: 10_000, interval: 250 }).toEqual([]);
  });

  it('--timeout bounds the start, builds included: exit 3 naming the build still running', async () => {
    const id = uniqueRunId('buildtime');
    const started = Date.now();
    const result = await envtest(['up', '-f', fixture('stack-slow-build/compose.yaml'), '--run-id', id, '--timeout', '3s'], { env: { NONCE: id } });
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('the start did not finish within 3s: still building slowbuild-app for app');
    expect(Date.now() - started).toBeLessThan(15_000); // the build alone takes 20 s
    expect(await leftovers(id)).toEqual([]);
    await expect.poll(() => buildStepContainers(id), { timeout: 10_000, interval: 250 }).toEqual([]);
  });
});

describe('SIGKILL during envtest up', () => {
  it('the reaper removes the half-made stack; a finished up is not reaped', async () => {
    const id = uniqueRunId('upkill');
    const proc = envtestProcess(['up', '-f', fixture('stack-slow-start.yaml'), '--run-id', id], { detached: true });
    await stderrSays(proc, 'db started');
    process.kill(-proc.pid!, 'SIGKILL');
    await proc;
    expect(await waitUntilGone(id, 15_000)).toBeLessThan(15_000);

    const kept = uniqueRunId('upkept');
    expect((await envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', kept])).exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 3000)); // longer than the reaper's grace
    expect(await docker(['ps', '-q', '--filter', `label=envtest.run=${kept}`, '--filter', 'label=envtest.role=service'])).not.toBe('');
    expect(await docker(['ps', '-aq', '--filter', `label=envtest.run=${kept}`, '--filter', 'label=envtest.role=reaper'])).toBe('');
    expect((await envtest(['down', kept])).exitCode).toBe(0);
  });
});

describe('environment faults', () => {
  it('a crash-looping service fails the start with exit 3', async () => {
    const id = uniqueRunId('crashloop');
    const result = await envtest(['up', '-f', fixture('stack-crash-loop.yaml'), '--run-id', id, '--timeout', '30s']);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toMatch(/api (exited with code 1|is crash-looping)/);
    expect(result.stderr).toContain('panic: cannot bind :8080');
    expect(await leftovers(id)).toEqual([]);
  });

  it('run --run-timeout tears a run down when time is up: exit 3 naming the checks still running', async () => {
    const id = uniqueRunId('runtime');
    const artifacts = mkdtempSync(join(tmpdir(), 'envtest-runtimeout-'));
    try {
      // The port opens after 60 s; the check would wait for it, the run may take 8 s.
      const result = await envtest(['run', '-f', fixture('stack-busy.yaml'), '--checks', fixture('suite-port-opens-late.yaml'), '--run-id', id, '--run-timeout', '8s', '--artifacts', artifacts], { env: { BUSY_SECONDS: '60' } });
      expect(result.exitCode, result.all).toBe(3);
      expect(result.stderr).toContain('the run did not finish within 8s (--run-timeout): still running checks late: api port opens');
      expect(await leftovers(id)).toEqual([]);
    } finally {
      rmSync(artifacts, { recursive: true, force: true });
    }
  });

  it('a missing image exits 3 and names it', async () => {
    const id = uniqueRunId('noimage');
    const result = await envtest(['run', '-f', fixture('stack-missing-image.yaml'), ...slowChecks, '--run-id', id]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('image envtest/does-not-exist:1 of service api is not present locally');
    expect(await leftovers(id)).toEqual([]);
  });

  it('a host-port conflict with --publish declared exits 3 naming the service and port', async () => {
    const holder: Server = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    const id = uniqueRunId('portclash');
    try {
      const result = await envtest(['up', '-f', fixture('stack-port-conflict.yaml'), '--run-id', id, '--publish', 'declared'], { env: { CONFLICT_PORT: String(port) } });
      expect(result.exitCode, result.all).toBe(3);
      expect(result.stderr).toContain(`service web could not publish host port 127.0.0.1:${port}`);
      expect(await leftovers(id)).toEqual([]);
    } finally {
      holder.close();
    }
  });

  it('teardown removes the run network even with a foreign container attached', async () => {
    const id = uniqueRunId('foreign');
    expect((await envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id])).exitCode).toBe(0);
    const network = await docker(['network', 'ls', '--filter', `label=envtest.run=${id}`, '--format', '{{.Name}}']);
    const foreign = await docker(['run', '-d', '--rm', '--network', network, '--label', 'envtest.test=foreign', 'envtest/base:bookworm', 'sleep', '120']);
    try {
      const down = await envtest(['down', id]);
      expect(down.exitCode, down.all).toBe(0);
      expect(await leftovers(id)).toEqual([]);
      expect(await docker(['ps', '-q', '--filter', `id=${foreign}`])).not.toBe(''); // not ours to remove
    } finally {
      await docker(['rm', '-f', foreign]);
    }
  });

  it('20 parallel runs of one stack all come up and all go away', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => uniqueRunId(`par${i}`));
    const results = await Promise.all(ids.map((id) => envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id])));
    try {
      results.forEach((r) => expect(r.exitCode, r.all).toBe(0));
    } finally {
      const down = await envtest(['down', ...ids]);
      expect(down.exitCode, down.all).toBe(0);
    }
    for (const id of ids) expect(await leftovers(id)).toEqual([]);
  }, 300_000);
});

describe('input faults touch no engine', () => {
  // A bogus DOCKER_HOST would turn any engine call into exit 4; exit 2 proves none was made.
  const noEngine = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

  it('an invalid compose project exits 2', async () => {
    const result = await envtest(['run', '-f', fixture('compose-depends-cycle-base.yaml'), '-f', fixture('compose-depends-cycle-override.yaml'), ...slowChecks], { env: noEngine });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('cycle');
  });

  it('an invalid suite exits 2', async () => {
    const result = await envtest(['run', '-f', fixture('stack-tiny.yaml'), '--checks', fixture('suite-unknown-key.yaml')], { env: noEngine });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('suite-unknown-key.yaml');
  });

  it('a service mounting the engine socket exits 2', async () => {
    const result = await envtest(['up', '-f', fixture('stack-engine-socket.yaml')], { env: noEngine });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('services.agent.volumes[0]: mounts the container engine socket');
  });

  it('an unreachable engine exits 4', async () => {
    const result = await envtest(['run', '-f', fixture('stack-tiny.yaml'), ...slowChecks], { env: noEngine });
    expect(result.exitCode, result.all).toBe(4);
  });
});
