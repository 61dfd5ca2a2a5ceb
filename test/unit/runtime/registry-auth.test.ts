// Which registry credentials a pull sends, from a docker config folder of the test's own.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsFor, loginHint, registryOf } from '../../../src/runtime/docker/registry-auth.js';
import { dockerConfigDir } from '../../support/docker-config.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('the registry of an image', () => {
  it('is the first part when it is a host, else Docker Hub', () => {
    expect(registryOf('postgres:16')).toBe('docker.io');
    expect(registryOf('team/app:1')).toBe('docker.io');
    expect(registryOf('docker.io/library/redis')).toBe('docker.io');
    expect(registryOf('index.docker.io/team/app')).toBe('docker.io');
    expect(registryOf('ghcr.io/org/app@sha256:abc')).toBe('ghcr.io');
    expect(registryOf('localhost/app')).toBe('localhost');
    expect(registryOf('127.0.0.1:5000/app:t')).toBe('127.0.0.1:5000');
  });
});

describe('credentials from config.json', () => {
  it('decodes an auths entry, matching keys written with a scheme and path', async () => {
    const env = { DOCKER_CONFIG: dockerConfigDir({ config: { auths: { 'https://registry.example:5000/v2/': { auth: b64('me:pa:ss') } } } }) };
    expect((await credentialsFor('registry.example:5000/app', env))?.auth).toEqual({ serveraddress: 'registry.example:5000', username: 'me', password: 'pa:ss' });
    expect(await credentialsFor('other.example/app', env)).toBeUndefined();
  });

  it('finds Docker Hub under the key `docker login` uses, and sends that as the server', async () => {
    const env = { DOCKER_CONFIG: dockerConfigDir({ config: { auths: { 'https://index.docker.io/v1/': { username: 'hubuser', password: 'tok' } } } }) };
    expect((await credentialsFor('team/app', env))?.auth).toEqual({ serveraddress: 'https://index.docker.io/v1/', username: 'hubuser', password: 'tok' });
  });

  it('keeps an identity token', async () => {
    const env = { DOCKER_CONFIG: dockerConfigDir({ config: { auths: { 'acr.example': { identitytoken: 'refresh-token' } } } }) };
    expect((await credentialsFor('acr.example/app', env))?.auth).toEqual({ serveraddress: 'acr.example', identitytoken: 'refresh-token' });
  });

  it('sends nothing without a config.json', async () => {
    expect(await credentialsFor('registry.example/app', { DOCKER_CONFIG: dockerConfigDir() })).toBeUndefined();
  });
});

describe('credential helpers', () => {
  function helper(name: string, script: string): string {
    const bin = mkdtempSync(join(tmpdir(), 'envtest-helper-'));
    writeFileSync(join(bin, `docker-credential-${name}`), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, `docker-credential-${name}`), 0o755);
    return `${bin}:${process.env.PATH}`;
  }

  it('prefers credHelpers for the registry over auths, and reads a `<token>` user as an identity token', async () => {
    const PATH = helper('tok', `server=$(cat); printf '{"ServerURL":"%s","Username":"<token>","Secret":"id-tok"}' "$server"`);
    const DOCKER_CONFIG = dockerConfigDir({ config: { credHelpers: { 'registry.example': 'tok' }, auths: { 'registry.example': { auth: b64('file:pw') } } } });
    expect(await credentialsFor('registry.example/app', { DOCKER_CONFIG, PATH })).toEqual({ auth: { serveraddress: 'registry.example', identitytoken: 'id-tok' }, from: 'docker-credential-tok' });
  });

  it('falls back to auths when the store has nothing for the registry', async () => {
    const PATH = helper('empty', 'echo "credentials not found in native keychain"; exit 1');
    const DOCKER_CONFIG = dockerConfigDir({ config: { credsStore: 'empty', auths: { 'registry.example': { auth: b64('file:pw') } } } });
    const found = await credentialsFor('registry.example/app', { DOCKER_CONFIG, PATH });
    expect(found?.auth).toMatchObject({ username: 'file', password: 'pw' });
    expect(found?.from).toBe(`auths in ${join(DOCKER_CONFIG, 'config.json')}`);
  });
});

describe('the hint after a refused pull', () => {
  it('says how to log in, only for a refusal', () => {
    const env = { DOCKER_CONFIG: '/cfg' };
    expect(loginHint('registry.example/app', 'manifest unknown', undefined, env)).toBe('');
    expect(loginHint('registry.example/app', 'unauthorized: authentication required', undefined, env)).toContain('log in with `docker login registry.example`');
    expect(loginHint('team/app', 'pull access denied for team/app', undefined, env)).toContain('`docker login`');
  });
});
