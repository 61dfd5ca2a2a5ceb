// The pure path from a normalized compose service to the engine's create body: every key the loader
// accepts ends up somewhere in it (or in the build call).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProjectWith } from '../../../src/compose/index.js';
import { ValidationError } from '../../../src/errors.js';
import type { ComposeProject } from '../../../src/model/project.js';
import { buildSpec } from '../../../src/orchestrator/images/images.js';
import { parseBytes } from '../../../src/model/compose-units.js';
import { checkServiceFiles, filesToCopy, secretContents, serviceFiles } from '../../../src/orchestrator/spec/service-files.js';
import { filesArchives } from '../../../src/runtime/docker/file-archive.js';
import { serviceContainerSpec, type RunContext } from '../../../src/orchestrator/spec/service-spec.js';
import { containerCreateOptions } from '../../../src/runtime/docker/container-options.js';
import { splitReference } from '../../../src/runtime/docker/docker-runtime.js';
import { memfs } from '../compose/memfs.js';

const ctx: RunContext = {
  runId: 'r1',
  project: 'p',
  networks: { default: 'p-r1_default', back: 'p-r1_back' },
  volumes: { data: 'p-r1_data' },
  containerIds: { db: 'id-of-db' },
  extraLabels: {},
};

async function project(yaml: string): Promise<ComposeProject> {
  return (await loadProjectWith(memfs({ '/p/compose.yaml': yaml }), { cwd: '/p', env: {} })).project;
}

async function createBody(yaml: string, service = 'web') {
  const p = await project(yaml);
  return containerCreateOptions(serviceContainerSpec(service, p.services[service]!, 'img', ctx));
}

describe('service → create body', () => {
  it('sets limits, dns, security, logging, runtime, domainname, stop timeout and platform', async () => {
    const body = await createBody(`services:
  web:
    image: x
    mem_limit: 64m
    mem_reservation: 32m
    cpus: 0.5
    cpu_shares: 512
    pids_limit: 100
    dns: 10.0.0.53
    dns_search: [corp.example]
    dns_opt: [ndots:2]
    security_opt: [no-new-privileges:true]
    group_add: [audio, 1000]
    logging: {driver: json-file, options: {max-size: 10m, max-file: 3}}
    runtime: runc
    domainname: corp.example
    stop_grace_period: 1m30s
    platform: linux/amd64
`);
    expect(body).toMatchObject({
      platform: 'linux/amd64',
      Domainname: 'corp.example',
      StopTimeout: 90,
      HostConfig: {
        Memory: 64 * 1024 ** 2,
        MemoryReservation: 32 * 1024 ** 2,
        NanoCpus: 500_000_000,
        CpuShares: 512,
        PidsLimit: 100,
        Dns: ['10.0.0.53'],
        DnsSearch: ['corp.example'],
        DnsOptions: ['ndots:2'],
        SecurityOpt: ['no-new-privileges:true'],
        GroupAdd: ['audio', '1000'],
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
        Runtime: 'runc',
      },
    });
  });

  it('lets deploy.resources win over the service-level keys, as docker compose does', async () => {
    const body = await createBody(`services:
  web:
    image: x
    mem_limit: 64m
    cpus: 2
    pids_limit: 10
    deploy:
      resources:
        limits: {memory: 1.5G, cpus: "0.25", pids: 50}
        reservations: {memory: 512k}
`);
    expect(body.HostConfig).toMatchObject({ Memory: 1.5 * 1024 ** 3, NanoCpus: 250_000_000, PidsLimit: 50, MemoryReservation: 512 * 1024 });
  });

  it('leaves limits and options out when the service sets none', async () => {
    const body = await createBody('services:\n  web:\n    image: x\n');
    for (const k of ['Memory', 'NanoCpus', 'PidsLimit', 'Dns', 'LogConfig', 'Links', 'Binds']) expect(body.HostConfig, k).not.toHaveProperty(k, expect.anything());
    expect(body.StopTimeout).toBeUndefined();
    expect(body).not.toHaveProperty('platform');
  });

  it('makes links endpoint links on the service network, naming the run container of the target', async () => {
    const body = await createBody('services:\n  web:\n    image: x\n    links: ["db:database", cache]\n  db: {image: x}\n  cache: {image: x}\n');
    expect(body.HostConfig?.Links).toBeUndefined(); // ignored by the engine on user-defined networks
    expect(body.NetworkingConfig?.EndpointsConfig?.['p-r1_default']).toEqual({ Aliases: ['web'], Links: ['p-r1-db:database', 'p-r1-cache:cache'] });
  });

  it('uses legacy links on the default bridge', async () => {
    const body = await createBody('services:\n  web:\n    image: x\n    network_mode: bridge\n    links: ["db:database"]\n  db: {image: x}\n');
    expect(body.HostConfig?.Links).toEqual(['p-r1-db:database']);
  });

  it('connects the highest network priority first', async () => {
    const p = await project('services:\n  web:\n    image: x\n    networks:\n      default: {priority: 1}\n      back: {priority: 10}\nnetworks:\n  back: {}\n');
    expect(serviceContainerSpec('web', p.services.web!, 'img', ctx).networks.map((n) => n.network)).toEqual(['p-r1_back', 'p-r1_default']);
  });

  it('passes mount options: bind propagation, host path creation and relabelling, nocopy, tmpfs size and mode', async () => {
    const body = await createBody(`services:
  web:
    image: x
    volumes:
      - ./src:/src:ro,z
      - type: bind
        source: /etc/hosts
        target: /h
        bind: {propagation: rslave}
      - data:/data:nocopy
      - type: tmpfs
        target: /t
        tmpfs: {size: 1m, mode: 01777}
      - type: volume
        source: data
        target: /c
        consistency: cached
volumes:
  data: {}
`);
    // A `bind:` section defaults create_host_path to true (compose-go), which only the Binds form has.
    expect(body.HostConfig?.Binds).toEqual(['/p/src:/src:ro,z', '/etc/hosts:/h:rw,rslave']);
    expect(body.HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: 'p-r1_data', Target: '/data', ReadOnly: false, VolumeOptions: { NoCopy: true } },
      { Type: 'tmpfs', Source: '', Target: '/t', ReadOnly: false, TmpfsOptions: { SizeBytes: 1024 ** 2, Mode: 0o1777 } },
      { Type: 'volume', Source: 'p-r1_data', Target: '/c', ReadOnly: false, Consistency: 'cached' },
    ]);
  });

  it('parses byte sizes as compose writes them', () => {
    expect([parseBytes('64m'), parseBytes('1g'), parseBytes('1.5G'), parseBytes('512kb'), parseBytes('100'), parseBytes(7)]).toEqual([
      64 * 1024 ** 2,
      1024 ** 3,
      1.5 * 1024 ** 3,
      512 * 1024,
      100,
      7,
    ]);
  });
});

describe('build section → build call', () => {
  it('maps every build key the loader accepts', async () => {
    const p = await project(`services:
  web:
    build:
      context: .
      dockerfile_inline: "FROM scratch"
      args: {A: "1", UNSET: null}
      target: final
      labels: {l: v}
      no_cache: true
      pull: true
      network: none
      shm_size: 64m
      extra_hosts: ["a=10.0.0.1", "b:10.0.0.2"]
      cache_from: [app:cache]
      tags: [app:extra, p-web]
      platforms: [linux/amd64]
`);
    expect(buildSpec(p.services.web!.build!, 'p-web')).toEqual({
      context: '/p',
      dockerfile: undefined,
      dockerfileInline: 'FROM scratch',
      tag: 'p-web',
      args: { A: '1' },
      target: 'final',
      labels: { l: 'v' },
      noCache: true,
      pull: true,
      network: 'none',
      shmSize: 64 * 1024 ** 2,
      extraHosts: ['a:10.0.0.1', 'b:10.0.0.2'],
      cacheFrom: ['app:cache'],
      extraTags: ['app:extra'],
      platform: 'linux/amd64',
    });
  });

  it('builds for the service platform when the build names none', async () => {
    const p = await project('services:\n  web:\n    platform: linux/arm64\n    build: .\n');
    expect(buildSpec(p.services.web!.build!, 'p-web', p.services.web!.platform).platform).toBe('linux/arm64');
  });

  it('splits tags into repository and tag', () => {
    expect(splitReference('registry:5000/team/app:1.2')).toEqual({ repo: 'registry:5000/team/app', tag: '1.2' });
    expect(splitReference('registry:5000/team/app')).toEqual({ repo: 'registry:5000/team/app', tag: 'latest' });
  });
});

describe('secrets and configs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'pw.txt'), 's3cr3t-from-file\n');

  const yaml = `services:
  web:
    image: x
    secrets:
      - db_pw
      - {source: token, target: api/token, mode: 0400, uid: "1000", gid: "1001"}
      - {source: token, target: /etc/token}
    configs:
      - app
      - {source: app, target: /etc/app.conf, mode: 0440}
secrets:
  db_pw: {file: ${dir}/pw.txt}
  token: {environment: API_TOKEN}
configs:
  app: {content: "port=80"}
`;

  it('places each where Compose does, with its mode and owner', async () => {
    const p = await project(yaml);
    const files = serviceFiles(p, 'web', { API_TOKEN: 'tok-from-env' });
    expect(files.map((f) => ({ ...f, content: f.content.toString() }))).toEqual([
      { path: '/run/secrets/db_pw', content: 's3cr3t-from-file\n', mode: 0o444, uid: 0, gid: 0 },
      { path: '/run/secrets/api/token', content: 'tok-from-env', mode: 0o400, uid: 1000, gid: 1001 },
      { path: '/etc/token', content: 'tok-from-env', mode: 0o444, uid: 0, gid: 0 },
      { path: '/app', content: 'port=80', mode: 0o444, uid: 0, gid: 0 },
      { path: '/etc/app.conf', content: 'port=80', mode: 0o440, uid: 0, gid: 0 },
    ]);
    const entries: { name: string; mode?: number; uid?: number; body: string }[] = [];
    const tar = extract();
    const archives = await filesArchives(filesToCopy(p.services.web!, files));
    expect(archives.map((a) => a.dir)).toEqual(['/']);
    tar.end(archives[0]!.archive);
    for await (const entry of tar) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      entries.push({ name: entry.header.name, mode: entry.header.mode, uid: entry.header.uid, body: Buffer.concat(chunks).toString() });
    }
    expect(entries[1]).toEqual({ name: 'run/secrets/api/token', mode: 0o400, uid: 1000, body: 'tok-from-env' });
  });

  it('refuses a missing file or an unset variable before any engine call, naming each', async () => {
    const p = await project(yaml.replace('pw.txt', 'gone.txt'));
    const e = (() => {
      try {
        checkServiceFiles(p, {});
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).problems).toEqual([
      { path: 'secrets.db_pw.file', message: `secret "db_pw" reads ${dir}/gone.txt, which does not exist` },
      { path: 'secrets.token.environment', message: 'secret "token" reads variable API_TOKEN, which is not set' },
    ]);
  });

  it('loads external secrets and configs as docker compose config does, and refuses a service that uses one, as docker compose up does', async () => {
    const loaded = await loadProjectWith(
      memfs({
        '/p/compose.yaml': `services:
  web:
    image: x
    secrets: [vault]
    configs: [settings]
  idle:
    image: x
secrets:
  vault:
    external: true
  unused:
    external: {name: kept}
configs:
  settings:
    template_driver: golang
    content: x
`,
      }),
      { cwd: '/p', env: {} },
    );
    expect(loaded.project.secrets).toMatchObject({ vault: { external: true, name: 'vault' }, unused: { external: true, name: 'kept' } });
    const e = (() => {
      try {
        checkServiceFiles(loaded.project, {}, loaded.locate);
      } catch (err) {
        return err;
      }
    })();
    expect((e as ValidationError).problems.map((p) => `${p.line} ${p.path}: ${p.message}`)).toEqual([
      `10 secrets.vault.external: secret "vault" is used by a service but is external: its content is kept by a Swarm; not supported (docker compose up refuses it too; not planned): give its content with file or environment`,
      `15 configs.settings.template_driver: config "settings" is used by a service but has a template_driver: a Swarm setting; not supported (docker compose up refuses it too; not planned): give its content with file, environment or content`,
    ]);
    // Declared but used by no service: nothing to refuse.
    delete loaded.project.services.web;
    expect(() => checkServiceFiles(loaded.project, {})).not.toThrow();
  });

  it('gives the redactor every secret it can read, with and without its trailing newline', async () => {
    const p = await project(yaml);
    expect(secretContents(p, { API_TOKEN: 'tok-from-env' })).toEqual(['s3cr3t-from-file\n', 's3cr3t-from-file', 'tok-from-env']);
  });
});
