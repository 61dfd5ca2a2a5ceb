// `forward` against an engine reached over TCP rather than the unix socket, as with a remote engine
// (DOCKER_HOST=tcp://… or ssh://…): the relay goes through the engine API only, so it needs no host
// port publishing and no egress. The TCP endpoint is a loopback proxy in this process that pipes to
// this machine's engine socket; it counts connections so the test knows envtest really used it.
// The engine is checked afterwards through the default socket by the docker CLI.
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, envtest, envtestProcess, leftovers, uniqueRunId } from '../support/cli.js';

const runId = uniqueRunId('fwd-tcp');
const MARKER = `served through a tcp engine ${runId}`;
let proxy: Server;
let engineConnections = 0;
let dockerHost: string;

// nginx on :80 with no `ports:`: only reachable inside the run's (internal) network.
const compose = `name: fwdtcp
services:
  web:
    image: envtest/base:bookworm
    command: ["sh", "-c", "echo '${MARKER}' >/var/www/html/index.html && exec nginx -g 'daemon off;'"]
    healthcheck:
      test: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1/"]
      interval: 1s
      retries: 30
`;

beforeAll(async () => {
  proxy = createServer((client) => {
    engineConnections++;
    const engine = createConnection('/var/run/docker.sock');
    client.pipe(engine).pipe(client);
    client.on('error', () => engine.destroy());
    engine.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  dockerHost = `tcp://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  await envtest(['down', runId]); // backstop; the test asserts its own teardown
  await new Promise((resolve) => proxy.close(resolve));
});

/** Resolves with the forwarder's `host:port` for `target` once printed. */
function forwardedAddress(proc: ReturnType<typeof envtestProcess>, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const line = new RegExp(`^(\\S+) -> ${target}$`, 'm').exec(seen);
      if (line) resolve(line[1]!);
    });
    proc.once('exit', () => reject(new Error(`forward exited before printing its address:\n${seen}`)));
  });
}

describe('envtest forward on an engine reached over tcp', () => {
  it('up, forward to an internal-only port, Ctrl-C, down: all through DOCKER_HOST=tcp://, nothing left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'envtest-fwd-tcp-'));
    writeFileSync(join(dir, 'compose.yaml'), compose);
    const env = { DOCKER_HOST: dockerHost };

    const up = await envtest(['up', '-f', join(dir, 'compose.yaml'), '--run-id', runId], { env, cwd: dir });
    expect(up.exitCode, up.all).toBe(0);
    expect(engineConnections).toBeGreaterThan(0);

    // The run's network is internal and web publishes nothing: forward is the only way in.
    const networks = (await docker(['network', 'ls', '-q', '--filter', `label=envtest.run=${runId}`])).split('\n').filter(Boolean);
    expect(networks.length).toBeGreaterThan(0);
    for (const n of networks) expect(await docker(['network', 'inspect', '-f', '{{.Internal}}', n])).toBe('true');
    const web = await docker(['ps', '-q', '--filter', `label=envtest.run=${runId}`, '--filter', 'label=envtest.service=web']);
    expect(await docker(['port', web])).toBe('');

    const before = engineConnections;
    const proc = envtestProcess(['forward', runId, 'web:80'], { env });
    const address = await forwardedAddress(proc, 'web:80');
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(engineConnections).toBeGreaterThan(before);

    // Two requests on one connection, then a fresh connection: each relayed through the tcp engine.
    const url = `http://${address}/`;
    const curl = await execa('curl', ['-fsS', url, url]);
    expect(curl.stdout).toBe(`${MARKER}\n${MARKER}`);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`${MARKER}\n`);

    proc.kill('SIGINT');
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(130);
    expect(await docker(['ps', '-aq', '--filter', `label=envtest.run=${runId}`, '--filter', 'label=envtest.role=helper'])).toBe('');

    const down = await envtest(['down', runId], { env, cwd: dir });
    expect(down.exitCode, down.all).toBe(0);
    expect(await leftovers(runId)).toEqual([]);
  }, 300_000);
});
