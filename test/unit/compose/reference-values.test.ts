// Small reproductions of values where envtest used to differ from compose-go (the loader behind
// `docker compose config`); each expectation is what compose-go produces for the same input.
import { describe, expect, it } from 'vitest';
import { loadProjectWith, printProject, type LoadOptions } from '../../../src/compose/index.js';
import { memfs } from './memfs.js';

const load = (files: Record<string, string>, opts: LoadOptions = {}) => loadProjectWith(memfs(files), { cwd: '/p', env: {}, ...opts });

describe('interpolation environment', () => {
  it('lets the shell win inside .env references too', async () => {
    const { project } = await load(
      { '/p/compose.yaml': 'services:\n  a:\n    image: x\n    environment: {B: "${BAR}"}\n', '/p/.env': 'FOO=foo\nBAR=${FOO}\n' },
      { env: { FOO: 'zot' } },
    );
    expect(project.services.a!.environment).toEqual({ B: 'zot' });
  });

  it('offers COMPOSE_PROJECT_NAME from `name:` and from -p', async () => {
    const files = { '/p/compose.yaml': 'name: fromfile\nservices:\n  a:\n    image: ${COMPOSE_PROJECT_NAME}-app\n' };
    const fromFile = await load(files);
    expect(fromFile.project.services.a!.image).toBe('fromfile-app');
    expect(fromFile.warnings).toEqual([]);
    expect((await load(files, { projectName: 'flag' })).project.services.a!.image).toBe('flag-app');
  });

  it('lowercases `name:` as compose-go does', async () => {
    const { project } = await load({ '/p/compose.yaml': 'name: myProject\nservices:\n  a:\n    image: x\n' });
    expect(project.name).toBe('myproject');
  });

  it('reads COMPOSE_FILE from .env', async () => {
    const { project } = await load({ '/p/.env': 'COMPOSE_FILE=other.yaml\n', '/p/other.yaml': 'services:\n  o:\n    image: x\n' });
    expect(Object.keys(project.services)).toEqual(['o']);
  });
});

describe('implicit dependencies', () => {
  it('links, volumes_from and network_mode: service:X imply depends_on', async () => {
    const { project } = await load({
      '/p/compose.yaml': [
        'services:',
        '  db: {image: x}',
        '  cache: {image: x}',
        '  data: {image: x}',
        '  web: {image: x, links: ["db:database"], volumes_from: [data], depends_on: {cache: {condition: service_healthy}}}',
        '  side: {image: x, network_mode: "service:web"}',
        '',
      ].join('\n'),
    });
    expect(project.services.web!.depends_on).toEqual({
      cache: { condition: 'service_healthy', required: true, restart: false },
      db: { condition: 'service_started', required: true, restart: true },
      data: { condition: 'service_started', required: true, restart: false },
    });
    expect(project.services.side!.depends_on).toEqual({ web: { condition: 'service_started', required: true, restart: true } });
  });

  it('an override that sets only `required` keeps the base condition', async () => {
    const { project } = await load(
      {
        '/p/compose.yaml': 'services:\n  db: {image: x}\n  web:\n    image: x\n    depends_on: {db: {condition: service_healthy}}\n',
        '/p/over.yaml': 'services:\n  web:\n    depends_on: {db: {required: false}}\n',
      },
      { files: ['compose.yaml', 'over.yaml'] },
    );
    expect(project.services.web!.depends_on).toEqual({ db: { condition: 'service_healthy', required: false, restart: false } });
  });
});

describe('include and extends paths', () => {
  it("an include entry's env_file feeds bare `environment: [VAR]` of the included services", async () => {
    const { project } = await load({
      '/p/compose.yaml': 'include:\n  - path: sub/compose.yaml\n    env_file: sub/inc.env\n',
      '/p/sub/compose.yaml': 'services:\n  a:\n    image: x\n    environment: [VAR]\n',
      '/p/sub/inc.env': 'VAR=from-include\n',
    });
    expect(project.services.a!.environment).toEqual({ VAR: 'from-include' });
  });

  it('nested extends resolve build.context relative to the file that declared it', async () => {
    const { project } = await load({
      '/p/compose.yaml': 'services:\n  app:\n    extends: {file: dir/mid.yaml, service: mid}\n',
      '/p/dir/mid.yaml': 'services:\n  mid:\n    extends: {file: base/base.yaml, service: base}\n',
      '/p/dir/base/base.yaml': 'services:\n  base:\n    build: ./ctx\n',
    });
    expect(project.services.app!.build!.context).toBe('/p/dir/base/ctx');
  });

  it('include with project_directory resolves the included extends.file against that directory', async () => {
    const { project } = await load({
      '/p/compose.yaml': 'include:\n  - path: inc/compose.yaml\n    project_directory: proj\n',
      '/p/inc/compose.yaml': 'services:\n  a:\n    extends: {file: base.yaml, service: b}\n',
      '/p/proj/base.yaml': 'services:\n  b:\n    image: from-proj\n',
    });
    expect(project.services.a!.image).toBe('from-proj');
  });
});

describe('values', () => {
  it('`dns: ${UNSET}` drops the entry', async () => {
    const { project } = await load({ '/p/compose.yaml': 'services:\n  a:\n    image: x\n    dns: ${UNSET}\n' });
    expect(project.services.a!.dns).toBeUndefined();
  });

  it('extra_hosts: several addresses in one entry, and host:ip rendered as host=ip', async () => {
    const { project } = await load({ '/p/compose.yaml': 'services:\n  a:\n    image: x\n    extra_hosts: ["myhost=0.0.0.1,0.0.0.2", "other:10.0.0.1", "v6:::1"]\n' });
    expect(project.services.a!.extra_hosts).toEqual(['myhost=0.0.0.1', 'myhost=0.0.0.2', 'other=10.0.0.1', 'v6=::1']);
  });

  it('drops build args with no value and no variable', async () => {
    const { project } = await load({ '/p/compose.yaml': 'services:\n  a:\n    build: {context: ., args: [GONE, SET, EMPTY=]}\n' }, { env: { SET: 'v' } });
    expect(project.services.a!.build!.args).toEqual({ SET: 'v', EMPTY: '' });
  });

  it('loads every document of a multi-document file', async () => {
    const { project } = await load({ '/p/compose.yaml': 'services:\n  a: {image: x}\n---\nservices:\n  b: {image: y}\n  a: {command: run}\n' });
    expect(Object.keys(project.services)).toEqual(['a', 'b']);
    expect(project.services.a).toMatchObject({ image: 'x', command: ['run'] });
  });

  it('checks only the extended service of another file', async () => {
    const { project } = await load({
      '/p/compose.yaml': 'services:\n  app:\n    extends: {file: lib.yaml, service: ok}\n',
      '/p/lib.yaml': 'services:\n  ok: {image: x}\n  other: {image: y, unknown_key_here: 1, network_mode: host}\n',
    });
    expect(project.services.app!.image).toBe('x');
  });
});

describe('invalid input refused', () => {
  it('a space around "=" in list-form environment', async () => {
    await expect(load({ '/p/compose.yaml': 'services:\n  a:\n    image: x\n    environment:\n      - DEBUG = true\n' })).rejects.toThrow(
      /compose.yaml:5 services.a.environment.0: .*DEBUG = true/,
    );
  });

  it('a negative tmpfs.size', async () => {
    await expect(
      load({ '/p/compose.yaml': 'services:\n  a:\n    image: x\n    volumes:\n      - type: tmpfs\n        target: /t\n        tmpfs: {size: -1}\n' }),
    ).rejects.toThrow(/compose.yaml:7 services.a.volumes.0.tmpfs.size/);
  });
});

describe('canonical forms, as `docker compose config` prints them', () => {
  it('byte sizes in bytes, Go durations, CPUs as numbers, octal modes, the default secret target', async () => {
    const { project } = await load({
      '/p/compose.yaml': [
        'services:',
        '  a:',
        '    image: x',
        '    shm_size: 64m',
        '    mem_limit: 1g',
        '    cpus: "1.5"',
        '    stop_grace_period: 1m',
        '    healthcheck: {test: "true", interval: 90s, timeout: 500ms, start_period: 1h, start_interval: 1.5s}',
        '    deploy: {resources: {limits: {cpus: "0.5", memory: 50M}, reservations: {memory: 20m}}}',
        '    volumes: [{type: tmpfs, target: /t, tmpfs: {size: 1k}}]',
        '    secrets: [{source: s, mode: 0440}, {source: s, target: /x, mode: "0400"}]',
        'secrets:',
        '  s: {file: ./s}',
        '',
      ].join('\n'),
    });
    const a = project.services.a!;
    expect([a.shm_size, a.mem_limit, a.cpus, a.stop_grace_period]).toEqual(['67108864', '1073741824', 1.5, '1m0s']);
    expect(a.healthcheck).toMatchObject({ interval: '1m30s', timeout: '500ms', start_period: '1h0m0s', start_interval: '1.5s' });
    expect(a.deploy).toEqual({ resources: { limits: { cpus: 0.5, memory: '52428800' }, reservations: { memory: '20971520' } } });
    expect(a.volumes![0]!.tmpfs).toEqual({ size: '1024' });
    expect(a.secrets).toEqual([
      { source: 's', target: '/run/secrets/s', mode: '0440' },
      { source: 's', target: '/x', mode: '0400' },
    ]);
  });

  it('--format yaml quotes yes/no/on/off/y/n as go-yaml does', async () => {
    const { project } = await load({ '/p/compose.yaml': 'services:\n  a:\n    image: x\n    environment: {A: "yes", B: "no", C: "on", D: "off", E: "y", F: "n", G: "Yes"}\n' });
    const text = printProject(project, 'yaml');
    for (const [k, v] of Object.entries({ A: 'yes', B: 'no', C: 'on', D: 'off', E: 'y', F: 'n', G: 'Yes' })) expect(text).toContain(`${k}: "${v}"`);
  });
});

describe('scale', () => {
  it('takes any count from 0, as compose-go does, and refuses scale and deploy.replicas that disagree', async () => {
    const { project } = await load({ '/p/compose.yaml': 'services:\n  a:\n    image: x\n    scale: 3\n    deploy: {replicas: 3}\n  b:\n    image: x\n    deploy: {replicas: 0}\n' });
    expect(project.services.a).toMatchObject({ scale: 3, deploy: { replicas: 3 } });
    expect(project.services.b).toMatchObject({ deploy: { replicas: 0 } });
    await expect(load({ '/p/compose.yaml': 'services:\n  a:\n    image: x\n    scale: 2\n    deploy: {replicas: 3}\n' })).rejects.toThrow(
      'compose.yaml:4 services.a.scale: is 2 but deploy.replicas is 3: set one of them, or the same number in both',
    );
    await expect(load({ '/p/compose.yaml': 'services:\n  a:\n    image: x\n    scale: -1\n' })).rejects.toThrow('compose.yaml:4 services.a.scale: the number -1 is not valid: must be greater than or equal to 0');
  });
});

describe('keys docker compose up ignores', () => {
  it('accepts develop (checked as compose-go checks it) and generic_resources, each with one warning', async () => {
    const r = await load({
      '/p/compose.yaml':
        'services:\n  a:\n    image: x\n    develop:\n      watch:\n        - {path: ./src, action: sync, target: /app}\n    deploy:\n      resources:\n        reservations:\n          generic_resources: [{discrete_resource_spec: {kind: gpu, value: 2}}]\n',
    });
    expect(r.project.services.a!.develop).toEqual({ watch: [{ path: './src', action: 'sync', target: '/app' }] });
    expect(r.warnings.map((w) => `${w.line} ${w.path}: ${w.message}`)).toEqual([
      '7 services.a.deploy: resources.reservations.generic_resources is a Swarm setting: ignored, as docker compose ignores it outside a Swarm',
      '4 services.a.develop: is for docker compose watch: ignored, as docker compose up ignores it (a test run does not watch files)',
    ]);
    await expect(load({ '/p/compose.yaml': 'services:\n  a:\n    image: x\n    develop:\n      watch:\n        - {path: ./src, action: copy}\n' })).rejects.toThrow(
      'compose.yaml:6 services.a.develop.watch.0.action: the string "copy" is not valid: expected "rebuild", "restart", "sync", "sync+restart" or "sync+exec"',
    );
  });
});

describe('Swarm deploy keys, by backend', () => {
  const compose = {
    '/p/compose.yaml':
      'services:\n  a:\n    image: x\n    deploy:\n      placement: {constraints: ["node.role==worker"]}\n      endpoint_mode: vip\n      resources:\n        reservations: {cpus: "0.5"}\n',
  };
  const lines = (r: { warnings: { line?: number; path?: string; message: string }[] }) => r.warnings.map((w) => `${w.line} ${w.path}: ${w.message}`);

  it('on the docker backend (the default) placement and the rest are ignored with a warning, as docker compose does', async () => {
    const expected = ['4 services.a.deploy: placement, endpoint_mode, resources.reservations.cpus are Swarm settings: ignored, as docker compose ignores them outside a Swarm'];
    expect(lines(await load(compose))).toEqual(expected);
    expect(lines(await load(compose, { backend: 'docker' }))).toEqual(expected);
  });

  it('on the swarm backend what it honours is not warned about; what it leaves out still is, saying so', async () => {
    expect(lines(await load(compose, { backend: 'swarm' }))).toEqual([]);
    const more = { '/p/compose.yaml': compose['/p/compose.yaml'] + '      update_config: {parallelism: 1}\n      mode: global\n' };
    expect(lines(await load(more, { backend: 'swarm' }))).toEqual([
      "4 services.a.deploy: mode, update_config are not supported by the swarm backend: ignored (a run's services are replicated one-shot tasks)",
    ]);
  });
});
