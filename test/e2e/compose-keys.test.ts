// Compose keys the loader accepts reach the engine: checked on the containers `envtest up` makes,
// with the docker CLI, not through envtest's own runtime.
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, fixture, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const runId = runIdsRemovedAfterAll(afterAll);

afterAll(async () => {
  await docker(['rmi', '-f', 'envtest-inline-build:extra', 'inlinebuild-app']).catch(() => undefined);
});

const containerOf = (id: string, service: string) => docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', `label=envtest.service=${service}`]);
const exec = (container: string, script: string) => docker(['exec', container, 'sh', '-c', script]);

const TOKEN = 'tok-from-the-environment-5150';

describe('compose keys reach the engine', () => {
  it('sets limits, dns, logging, stop timeout and domainname, copies secrets and configs in, and resolves a links alias', async () => {
    const id = runId('keys');
    const result = await envtest(['up', '-f', fixture('stack-honoured-keys/compose.yaml'), '--run-id', id], { env: { HONOURED_API_TOKEN: TOKEN } });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).not.toContain(TOKEN);

    const app = await containerOf(id, 'app');
    const inspected = JSON.parse(await docker(['inspect', app, '--format', '{{json .}}'])) as {
      HostConfig: Record<string, unknown>;
      Config: Record<string, unknown>;
    };
    expect(inspected.HostConfig).toMatchObject({
      Memory: 64 * 1024 ** 2,
      NanoCpus: 500_000_000,
      PidsLimit: 64,
      Dns: ['127.0.0.1'],
      DnsSearch: ['envtest.invalid'],
      DnsOptions: ['ndots:0'],
      SecurityOpt: ['no-new-privileges:true'],
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } },
    });
    expect(inspected.Config).toMatchObject({ StopTimeout: 7, Domainname: 'corp.example' });

    expect(await exec(app, 'cat /run/secrets/db_pw')).toBe('pw-from-a-file-4242');
    expect(await exec(app, 'stat -c "%a %u" /run/secrets/db_pw /run/secrets/token /etc/app.conf')).toBe('444 0\n400 0\n440 0');
    expect(await exec(app, 'cat /run/secrets/token')).toBe(TOKEN);
    expect(await exec(app, 'cat /etc/app.conf')).toBe('greeting=hello');

    const dbAddress = await docker(['inspect', await containerOf(id, 'db'), '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}']);
    // IPv4 only: the embedded DNS answers it itself, while an AAAA query would be forwarded to the
    // service's `dns` server (here a loopback address that never answers).
    expect((await exec(app, 'getent ahostsv4 database')).split(/\s+/)[0]).toBe(dbAddress);

    const down = await envtest(['down', id]);
    expect(down.exitCode, down.all).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('refuses an unset secret variable with exit 2 before touching the engine', async () => {
    const id = runId('nosecret');
    const result = await envtest(['up', '-f', fixture('stack-honoured-keys/compose.yaml'), '--run-id', id]);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('secrets.api_token.environment: secret "api_token" reads variable HONOURED_API_TOKEN, which is not set');
    expect(await leftovers(id)).toEqual([]);
  });

  it('prints an external secret as docker compose config does, and refuses a service using it at up, as docker compose up does', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'envtest-external-secret-'));
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: envtest/base:bookworm\n    secrets: [vault]\nsecrets:\n  vault:\n    external: true\n');
    const config = await envtest(['config', '-f', join(dir, 'compose.yaml'), '--format', 'json']);
    expect(config.exitCode, config.all).toBe(0);
    expect(JSON.parse(config.stdout).secrets).toEqual({ vault: { name: 'vault', external: true } });
    const id = runId('external-secret');
    const result = await envtest(['up', '-f', join(dir, 'compose.yaml'), '--run-id', id]);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('compose.yaml:7 secrets.vault.external: secret "vault" is used by a service but is external');
    expect(await leftovers(id)).toEqual([]);
  });

  it('builds from a dockerfile_inline with build-time hosts and an extra tag', async () => {
    const id = runId('inline');
    const result = await envtest(['up', '-f', fixture('stack-inline-build/compose.yaml'), '--run-id', id]);
    expect(result.exitCode, result.all).toBe(0);
    expect(await exec(await containerOf(id, 'app'), 'cat /buildhost')).toMatch(/^10\.9\.8\.7\s+buildhost$/);
    expect(await docker(['images', '-q', 'envtest-inline-build:extra'])).not.toBe('');

    const down = await envtest(['down', id]);
    expect(down.exitCode, down.all).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });
});
