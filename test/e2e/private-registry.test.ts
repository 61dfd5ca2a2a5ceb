// Pulling from a registry that wants a login, with the credentials where `docker login` leaves them:
// the `auths` of $DOCKER_CONFIG/config.json (as the docker CLI wrote it, or with username and
// password fields) and credential helpers (`credHelpers`, `credsStore`: a docker-credential-<name>
// program on PATH). The registry is the test's own on 127.0.0.1 (Debian's docker-registry with an
// htpasswd file); each config folder is the test's own, never ~/.docker.
import { execa } from 'execa';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { docker, envtest, fixture, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';
import { dockerConfigDir } from '../support/docker-config.js';
import { pushTinyImage, registryToolsMissing, startRegistry, type LocalRegistry } from '../support/local-registry.js';

const missingTools = registryToolsMissing();
if (missingTools) console.warn(`private registry tests skipped: ${missingTools}`);
const runId = runIdsRemovedAfterAll(afterAll);

describe.skipIf(!!missingTools)('pulling from a registry that wants a login', () => {
  const login = { username: 'envtest', password: `pw-${process.pid}-${Math.random().toString(36).slice(2)}` };
  let registry: LocalRegistry;
  let image = '';
  let loggedIn = '';
  let helperBin = '';

  beforeAll(async () => {
    registry = await startRegistry({ login });
    image = `${registry.host}/envtest-private:t${process.pid}`;
    // Logged in with the docker CLI itself, into a config folder of the test's own.
    loggedIn = dockerConfigDir();
    await execa('docker', ['--config', loggedIn, 'login', '--username', login.username, '--password-stdin', registry.host], { input: login.password });
    await pushTinyImage(image, loggedIn);
    // A credential helper as docker-credential-pass or -desktop are: `get`, the registry on stdin, JSON out.
    helperBin = mkdtempSync(join(tmpdir(), 'envtest-credhelper-'));
    const helper = join(helperBin, 'docker-credential-envtesttest');
    writeFileSync(
      helper,
      `#!/bin/sh
[ "$1" = get ] || exit 1
server=$(cat)
if [ "$server" = "${registry.host}" ]; then
  printf '{"ServerURL":"%s","Username":"${login.username}","Secret":"${login.password}"}\\n' "$server"
else
  echo "credentials not found in native keychain"; exit 1
fi
`,
    );
    chmodSync(helper, 0o755);
  }, 120_000);

  afterEach(async () => {
    await docker(['rmi', '-f', image]).catch(() => undefined); // every pull starts from an engine without it
  });

  afterAll(async () => {
    await registry?.stop();
  });

  async function up(env: Record<string, string>) {
    const id = runId('private');
    const result = await envtest(['up', '-f', fixture('stack-pulled-image.yaml'), '--run-id', id], { env: { PULL_IMAGE: image, DOCKER_CONFIG: dockerConfigDir(), ...env } });
    return { id, result };
  }

  async function pullsAndStarts(env: Record<string, string>) {
    expect(await docker(['image', 'ls', '-q', image])).toBe('');
    const { id, result } = await up(env);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toContain(`pulling ${image}`);
    expect(await docker(['ps', '--filter', `label=envtest.run=${id}`, '--format', '{{.Image}}'])).toBe(image);
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  }

  it('uses the auths entry `docker login` wrote', async () => {
    expect(JSON.parse(readFileSync(join(loggedIn, 'config.json'), 'utf8')).auths[registry.host].auth).toBeTruthy();
    await pullsAndStarts({ DOCKER_CONFIG: loggedIn });
  });

  it('uses an auths entry with username and password fields', async () => {
    await pullsAndStarts({ DOCKER_CONFIG: dockerConfigDir({ config: { auths: { [`http://${registry.host}/v2/`]: { ...login } } } }) });
  });

  it('asks the credential helper credHelpers names for the registry', async () => {
    const config = dockerConfigDir({ config: { credHelpers: { [registry.host]: 'envtesttest' } } });
    await pullsAndStarts({ DOCKER_CONFIG: config, PATH: `${helperBin}:${process.env.PATH}` });
  });

  it('asks the credsStore helper', async () => {
    await pullsAndStarts({ DOCKER_CONFIG: dockerConfigDir({ config: { credsStore: 'envtesttest' } }), PATH: `${helperBin}:${process.env.PATH}` });
  });

  it('falls back to auths when the helper is not installed', async () => {
    const auths = JSON.parse(readFileSync(join(loggedIn, 'config.json'), 'utf8')).auths;
    await pullsAndStarts({ DOCKER_CONFIG: dockerConfigDir({ config: { credsStore: 'not-installed-here', auths } }) });
  });

  it('without credentials: exit 3 naming the image, the refusal and how to log in', async () => {
    const { id, result } = await up({});
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain(`image ${image} is not available locally and could not be pulled`);
    expect(result.stderr).toMatch(/unauthorized|no basic auth credentials|authentication required/i);
    expect(result.stderr).toContain(`log in with \`docker login ${registry.host}\``);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await leftovers(id)).toEqual([]);
  });

  it('with a wrong password: exit 3 saying whose credentials were refused', async () => {
    const config = dockerConfigDir({ config: { auths: { [registry.host]: { auth: Buffer.from(`${login.username}:wrong`).toString('base64') } } } });
    const { id, result } = await up({ DOCKER_CONFIG: config });
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain(`the registry refused the credentials for ${registry.host} from auths in ${join(config, 'config.json')}`);
    expect(await leftovers(id)).toEqual([]);
  });
});
