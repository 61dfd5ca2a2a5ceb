// The reaper mounts the socket of the engine envtest talks to, and says it is watching only once it
// has reached that very engine; where it cannot, the run goes on without it and says which
// backstop is left. The engine is checked with the docker CLI through the default socket.
import { mkdtempSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, envtestProcess, fixture, leftovers, runIdsRemovedAfterAll, stderrSays, waitUntilGone } from '../support/cli.js';
import { dockerConfigDir } from '../support/docker-config.js';

const runId = runIdsRemovedAfterAll(afterAll);
const noEngineEnv = { DOCKER_HOST: '', DOCKER_CONTEXT: '' };
const reaperOf = (id: string) => docker(['ps', '-aq', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=reaper']);

describe('the reaper of an engine at a socket path of its own', () => {
  it('mounts that path and, after a SIGKILL of envtest, removes the run', async () => {
    const id = runId('reap-link');
    // Like rootless Docker or Colima: the engine's socket somewhere else than /var/run/docker.sock.
    const socket = join(mkdtempSync(join(tmpdir(), 'envtest-sock-')), 'docker.sock');
    symlinkSync('/var/run/docker.sock', socket);
    const config = dockerConfigDir({ config: { currentContext: 'linked' }, contexts: { linked: { host: `unix://${socket}` } } });
    const proc = envtestProcess(['run', '-f', fixture('stack-tiny.yaml'), '--checks', fixture('suite-slow.yaml'), '--run-id', id], {
      env: { ...noEngineEnv, DOCKER_CONFIG: config },
      detached: true,
    });
    await stderrSays(proc, 'api running');
    const reaper = await reaperOf(id);
    expect(reaper).not.toBe('');
    expect(await docker(['inspect', reaper, '--format', '{{range .Mounts}}{{.Source}} -> {{.Destination}}{{end}}'])).toBe(`${socket} -> /var/run/docker.sock`);
    // It needs no network of its own (the socket is its one line out), so none is made for it: a faster start.
    expect(await docker(['inspect', reaper, '--format', '{{.HostConfig.NetworkMode}} {{len .NetworkSettings.Networks}}'])).toBe('host 1');
    process.kill(-proc.pid!, 'SIGKILL');
    await proc;
    expect(await waitUntilGone(id, 15_000)).toBeLessThan(15_000);
  });
});

describe('a reaper that cannot reach the engine', () => {
  let otherEngine: Server | undefined;
  afterAll(() => otherEngine?.close());

  async function upWithoutReaper(id: string, socketOverride: string) {
    const result = await envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id], { env: { ENVTEST_DOCKER_SOCKET_OVERRIDE: socketOverride } });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toContain(`warning: no reaper guards run ${id}: it could not reach the engine`);
    expect(result.stderr).toContain('`envtest down --all --stale`');
    // The stack is up all the same; the failed reaper is gone.
    expect(await docker(['ps', '--filter', `label=envtest.run=${id}`, '--format', '{{.Label "envtest.service"}}'])).toBe('api');
    expect(await reaperOf(id)).toBe('');
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);
    return result.stderr;
  }

  it('where the socket path does not exist on the engine host: the run goes on, with a warning naming the backstop', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'envtest-sock-')), 'nowhere.sock');
    const stderr = await upWithoutReaper(runId('reap-none'), missing);
    expect(stderr).toContain(`through ${missing}:`);
    expect(stderr).toMatch(/does not exist|no such file/i);
  });

  it('where the socket is some other engine: the reaper does not claim to watch', async () => {
    // Answers like an engine that has never heard of the reaper's container.
    const socket = join(mkdtempSync(join(tmpdir(), 'envtest-sock-')), 'other.sock');
    otherEngine = createServer((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"No such container"}'));
    await new Promise<void>((resolve) => otherEngine!.listen(socket, resolve));
    const stderr = await upWithoutReaper(runId('reap-other'), socket);
    expect(stderr).toContain('it is another engine');
  });
});
