// envtest finds the engine as the docker CLI does: with DOCKER_HOST unset, the docker context of a
// DOCKER_CONFIG of the test's own. Each context points at a relay in this process that counts
// connections on their way to this machine's engine, so the test knows the context was used; the
// engine is checked afterwards through the default socket by the docker CLI.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, envtest, fixture, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';
import { dockerConfigDir, makePki, tlsEngineRelay, unixEngineRelay, type EngineRelay, type TestPki } from '../support/docker-config.js';

const runId = runIdsRemovedAfterAll(afterAll);
// Empty is unset for envtest and the docker CLI alike: the context must decide.
const noEngineEnv = { DOCKER_HOST: '', DOCKER_CONTEXT: '', DOCKER_TLS_VERIFY: '', DOCKER_CERT_PATH: '' };

describe('the engine of the current docker context', () => {
  let relay: EngineRelay;
  let socket: string;

  beforeAll(async () => {
    socket = join(mkdtempSync(join(tmpdir(), 'envtest-ctx-')), 'docker.sock');
    relay = await unixEngineRelay(socket);
  });
  afterAll(() => relay?.close());

  it('up and down go through the currentContext of config.json', async () => {
    const id = runId('ctx');
    const config = dockerConfigDir({ config: { currentContext: 'relayed' }, contexts: { relayed: { host: `unix://${socket}` } } });
    const env = { ...noEngineEnv, DOCKER_CONFIG: config };
    const up = await envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id], { env });
    expect(up.exitCode, up.all).toBe(0);
    expect(relay.connections).toBeGreaterThan(0);
    expect(await docker(['ps', '--filter', `label=envtest.run=${id}`, '--format', '{{.Label "envtest.service"}} {{.State}}'])).toBe('api running');

    const before = relay.connections;
    const down = await envtest(['down', id], { env });
    expect(down.exitCode, down.all).toBe(0);
    expect(relay.connections).toBeGreaterThan(before);
    expect(await leftovers(id)).toEqual([]);
  });

  it('a context naming a socket where no engine listens: exit 4 naming the context and the socket', async () => {
    const id = runId('ctx-dead');
    const dead = join(mkdtempSync(join(tmpdir(), 'envtest-ctx-')), 'docker.sock');
    const config = dockerConfigDir({ contexts: { stopped: { host: `unix://${dead}` } } });
    const result = await envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id], { env: { ...noEngineEnv, DOCKER_CONFIG: config, DOCKER_CONTEXT: 'stopped' } });
    expect(result.exitCode, result.all).toBe(4);
    expect(result.stderr).toContain(`no container engine answered at unix://${dead} (docker context "stopped", from DOCKER_CONTEXT)`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await leftovers(id)).toEqual([]);
  });

  it('a context that does not exist: exit 2 naming it and the contexts there are', async () => {
    const config = dockerConfigDir({ contexts: { relayed: { host: `unix://${socket}` } } });
    const result = await envtest(['down', 'anything'], { env: { ...noEngineEnv, DOCKER_CONFIG: config, DOCKER_CONTEXT: 'relayd' } });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('docker context "relayd" (DOCKER_CONTEXT) does not exist');
    expect(result.stderr).toContain('"default", "relayed"');
  });
});

describe('an engine behind TLS with client certificates, from a context', () => {
  let pki: TestPki;
  let relay: EngineRelay & { port: number };

  beforeAll(async () => {
    pki = await makePki();
    relay = await tlsEngineRelay(pki);
  });
  afterAll(() => relay?.close());

  it("up and down authenticate with the context's certificates", async () => {
    const id = runId('ctx-tls');
    const tls = { 'ca.pem': pki.ca, 'cert.pem': pki.clientCert, 'key.pem': pki.clientKey };
    const config = dockerConfigDir({ contexts: { secure: { host: `tcp://127.0.0.1:${relay.port}`, tls } } });
    const env = { ...noEngineEnv, DOCKER_CONFIG: config, DOCKER_CONTEXT: 'secure' };
    const up = await envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id], { env });
    expect(up.exitCode, up.all).toBe(0);
    expect(relay.connections).toBeGreaterThan(0);
    const down = await envtest(['down', id], { env });
    expect(down.exitCode, down.all).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('without a client certificate the engine refuses: exit 4', async () => {
    const config = dockerConfigDir({ contexts: { secure: { host: `tcp://127.0.0.1:${relay.port}`, tls: { 'ca.pem': pki.ca } } } });
    const result = await envtest(['down', 'anything'], { env: { ...noEngineEnv, DOCKER_CONFIG: config, DOCKER_CONTEXT: 'secure' } });
    expect(result.exitCode, result.all).toBe(4);
    expect(result.stderr).toContain(`tcp://127.0.0.1:${relay.port} (docker context "secure", from DOCKER_CONTEXT)`);
  });
});
