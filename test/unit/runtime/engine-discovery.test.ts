// Where envtest looks for the engine, rule by rule as the docker CLI applies them, each against a
// docker configuration folder of the test's own (DOCKER_CONFIG), never the user's.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineConfigError } from '../../../src/errors.js';
import { describeEngine, discoverEngine, normalizeHost } from '../../../src/runtime/docker/engine-discovery.js';
import { dockerConfigDir, type ContextSpec } from '../../support/docker-config.js';

/** A config folder whose config.json names `current` (if given) and which holds `contexts`. */
function dockerConfig(opts: { current?: string; contexts?: Record<string, ContextSpec>; raw?: string } = {}): string {
  return dockerConfigDir({ raw: opts.raw, config: opts.current ? { auths: {}, currentContext: opts.current } : undefined, contexts: opts.contexts });
}

const contexts = { colima: { host: 'unix:///home/u/.colima/default/docker.sock' }, remote: { host: 'tcp://10.0.0.5:2375' } };

describe('which engine, in the docker CLI order', () => {
  it('is the local socket when nothing is set', () => {
    const engine = discoverEngine({ DOCKER_CONFIG: dockerConfig() });
    expect(engine).toMatchObject({ host: 'unix:///var/run/docker.sock', context: 'default' });
    expect(describeEngine(engine)).toBe('unix:///var/run/docker.sock (the default)');
  });

  it('is the currentContext of config.json when neither DOCKER_HOST nor DOCKER_CONTEXT is set', () => {
    const dir = dockerConfig({ current: 'colima', contexts });
    const engine = discoverEngine({ DOCKER_CONFIG: dir });
    expect(engine).toMatchObject({ host: contexts.colima.host, context: 'colima' });
    expect(describeEngine(engine)).toBe(`${contexts.colima.host} (docker context "colima", from the currentContext in ${join(dir, 'config.json')})`);
  });

  it('reads config.json from ~/.docker when DOCKER_CONFIG is not set', () => {
    const home = mkdtempSync(join(tmpdir(), 'envtest-home-'));
    const dir = dockerConfig({ current: 'colima', contexts });
    mkdirSync(join(home, '.docker'));
    writeFileSync(join(home, '.docker/config.json'), JSON.stringify({ currentContext: 'nope' }));
    expect(() => discoverEngine({ HOME: home })).toThrow(/docker context "nope"/);
    expect(discoverEngine({ HOME: home, DOCKER_CONFIG: dir }).context).toBe('colima');
  });

  it('takes DOCKER_CONTEXT over the currentContext', () => {
    const engine = discoverEngine({ DOCKER_CONFIG: dockerConfig({ current: 'colima', contexts }), DOCKER_CONTEXT: 'remote' });
    expect(engine).toMatchObject({ host: 'tcp://10.0.0.5:2375', context: 'remote', chosenBy: 'DOCKER_CONTEXT' });
    expect(engine.tls).toBeUndefined();
  });

  it('takes DOCKER_HOST over DOCKER_CONTEXT and the currentContext', () => {
    const engine = discoverEngine({ DOCKER_CONFIG: dockerConfig({ current: 'colima', contexts }), DOCKER_CONTEXT: 'remote', DOCKER_HOST: 'unix:///run/user/1000/docker.sock' });
    expect(engine).toMatchObject({ host: 'unix:///run/user/1000/docker.sock', context: 'default', chosenBy: 'DOCKER_HOST' });
    expect(describeEngine(engine)).toBe('unix:///run/user/1000/docker.sock (from DOCKER_HOST)');
  });

  it('treats the context named "default" as the local socket, even over a currentContext', () => {
    expect(discoverEngine({ DOCKER_CONFIG: dockerConfig({ current: 'colima', contexts }), DOCKER_CONTEXT: 'default' }).host).toBe('unix:///var/run/docker.sock');
    expect(discoverEngine({ DOCKER_CONFIG: dockerConfig({ current: 'default' }) }).host).toBe('unix:///var/run/docker.sock');
  });

  it('falls back to the local socket for a context without a Host', () => {
    expect(discoverEngine({ DOCKER_CONFIG: dockerConfig({ contexts: { bare: {} } }), DOCKER_CONTEXT: 'bare' }).host).toBe('unix:///var/run/docker.sock');
  });
});

describe('a context that is not there', () => {
  it('names the context, where it was chosen, the missing file and the contexts that exist (exit 2)', () => {
    const dir = dockerConfig({ contexts });
    let error: unknown;
    try {
      discoverEngine({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'colina' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineConfigError);
    expect((error as EngineConfigError).exitCode).toBe(2);
    const message = (error as Error).message;
    expect(message).toContain('docker context "colina" (DOCKER_CONTEXT) does not exist');
    expect(message).toContain(join(dir, 'contexts/meta', createHash('sha256').update('colina').digest('hex'), 'meta.json'));
    expect(message).toContain('"default", "colima", "remote"');
  });

  it('says how to switch when the currentContext is the missing one', () => {
    expect(() => discoverEngine({ DOCKER_CONFIG: dockerConfig({ current: 'gone' }) })).toThrow(/docker context "gone" \(the currentContext in .*config\.json\) does not exist.*docker context use/);
  });

  it('names a config.json that is not JSON', () => {
    const dir = dockerConfig({ raw: '{"currentContext": ' });
    expect(() => discoverEngine({ DOCKER_CONFIG: dir })).toThrow(new RegExp(`${join(dir, 'config.json')} is not valid JSON`));
  });
});

describe('TLS', () => {
  it("uses a context's TLS files, verifying unless SkipTLSVerify", () => {
    const tls = { 'ca.pem': 'CA', 'cert.pem': 'CERT', 'key.pem': 'KEY' };
    const dir = dockerConfig({ contexts: { secure: { host: 'tcp://engine.example:2376', tls }, lax: { host: 'tcp://engine.example:2376', tls, skipTlsVerify: true } } });
    const secure = discoverEngine({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'secure' }).tls!;
    expect([secure.ca?.toString(), secure.cert?.toString(), secure.key?.toString(), secure.verify]).toEqual(['CA', 'CERT', 'KEY', true]);
    expect(discoverEngine({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'lax' }).tls?.verify).toBe(false);
  });

  it('reads DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set, and requires its ca.pem', () => {
    const certs = mkdtempSync(join(tmpdir(), 'envtest-certs-'));
    expect(() => discoverEngine({ DOCKER_CONFIG: dockerConfig(), DOCKER_HOST: 'tcp://engine.example', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs })).toThrow(
      `DOCKER_TLS_VERIFY is set but there is no CA certificate at ${join(certs, 'ca.pem')}`,
    );
    writeFileSync(join(certs, 'ca.pem'), 'CA');
    const engine = discoverEngine({ DOCKER_CONFIG: dockerConfig(), DOCKER_HOST: 'tcp://engine.example', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    expect(engine.host).toBe('tcp://engine.example:2376');
    expect(engine.tls).toMatchObject({ verify: true, cert: undefined });
    expect(engine.tls?.ca?.toString()).toBe('CA');
  });

  it('looks for the TLS files in the config folder when DOCKER_CERT_PATH is not set', () => {
    const dir = dockerConfig();
    writeFileSync(join(dir, 'ca.pem'), 'CA-IN-CONFIG');
    expect(discoverEngine({ DOCKER_CONFIG: dir, DOCKER_HOST: 'tcp://engine.example:2376', DOCKER_TLS_VERIFY: '1' }).tls?.ca?.toString()).toBe('CA-IN-CONFIG');
  });

  it('ignores the TLS variables for a unix socket, and is plain tcp without them', () => {
    expect(discoverEngine({ DOCKER_CONFIG: dockerConfig(), DOCKER_HOST: 'unix:///x.sock', DOCKER_TLS_VERIFY: '1' }).tls).toBeUndefined();
    expect(discoverEngine({ DOCKER_CONFIG: dockerConfig(), DOCKER_HOST: 'tcp://engine.example' })).toMatchObject({ host: 'tcp://engine.example:2375', tls: undefined });
  });
});

describe('engine addresses', () => {
  it('reads them as the docker CLI does', () => {
    expect(normalizeHost('engine.example:2375', 'DOCKER_HOST', false)).toBe('tcp://engine.example:2375');
    expect(normalizeHost('tcp://127.0.0.1', 'DOCKER_HOST', true)).toBe('tcp://127.0.0.1:2376');
    expect(normalizeHost('unix://', 'DOCKER_HOST', false)).toBe('unix:///var/run/docker.sock');
    expect(normalizeHost('ssh://me@build-box', 'DOCKER_HOST', false)).toBe('ssh://me@build-box');
  });

  it('refuses what is no engine address, saying where it was set', () => {
    expect(() => discoverEngine({ DOCKER_CONFIG: dockerConfig(), DOCKER_HOST: 'http://x:2375' })).toThrow(EngineConfigError);
    expect(() => discoverEngine({ DOCKER_CONFIG: dockerConfig(), DOCKER_HOST: 'fd://' })).toThrow('DOCKER_HOST is "fd://", which is not an engine address');
    expect(() => discoverEngine({ DOCKER_CONFIG: dockerConfig({ contexts: { odd: { host: 'npipe:////./pipe/docker' } } }), DOCKER_CONTEXT: 'odd' })).toThrow(/Endpoints\.docker\.Host of docker context "odd"/);
  });
});
