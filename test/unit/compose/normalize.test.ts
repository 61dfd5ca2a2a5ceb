import { describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { loadProjectWith } from '../../../src/compose/index.js';
import { memfs } from './memfs.js';

const load = (yaml: string, env: Record<string, string> = {}, extra: Record<string, string> = {}) =>
  loadProjectWith(memfs({ '/work/My App/compose.yaml': yaml, ...extra }), { cwd: '/work/My App', env });

describe('normalization', () => {
  it('expands short syntax to the shape of docker compose config', async () => {
    const { project } = await load(
      `
services:
  app:
    build: ./app
    command: sh -c "echo 'hi there'"
    entrypoint: /entry.sh
    environment: [FROM_ENV, MISSING, EQ=a=b]
    env_file: app.env
    depends_on:
      db:
        condition: service_healthy
    healthcheck:
      test: curl -f http://localhost || exit 1
      interval: 10
      retries: "3"
    expose: [80, "443"]
    labels: [a=b, flag]
    stop_grace_period: 1m30s
    volumes: [cache:/cache, ~/x:/x, ../shared:/shared]
    secrets: [token]
  db:
    image: postgres
    network_mode: none
    environment: {N: 1, T: true, E: null}
volumes:
  cache:
  ext: {external: true}
secrets:
  token: {file: ./token.txt}
`,
      { FROM_ENV: 'yes', E: 'e' },
      { '/work/My App/app.env': 'FILE_ONLY=1\nEQ=overridden-by-environment\n' },
    );
    expect(project).toEqual({
      name: 'myapp',
      services: {
        app: {
          build: { context: '/work/My App/app', dockerfile: 'Dockerfile' },
          command: ['sh', '-c', "echo 'hi there'"],
          entrypoint: ['/entry.sh'],
          environment: { FILE_ONLY: '1', EQ: 'a=b', FROM_ENV: 'yes', MISSING: null },
          env_file: [{ path: '/work/My App/app.env', required: true }],
          depends_on: { db: { condition: 'service_healthy', required: true, restart: false } },
          healthcheck: { test: ['CMD-SHELL', 'curl -f http://localhost || exit 1'], interval: '10s', retries: 3 },
          expose: ['80', '443'],
          labels: { a: 'b', flag: '' },
          stop_grace_period: '1m30s',
          volumes: [
            { type: 'volume', source: 'cache', target: '/cache' },
            { type: 'bind', source: `${homedir()}/x`, target: '/x', bind: { create_host_path: true } },
            { type: 'bind', source: '/work/shared', target: '/shared', bind: { create_host_path: true } },
          ],
          secrets: [{ source: 'token', target: '/run/secrets/token' }],
          networks: { default: null },
        },
        db: { image: 'postgres', network_mode: 'none', environment: { N: '1', T: 'true', E: 'e' } },
      },
      networks: { default: { name: 'myapp_default' } },
      volumes: { cache: { name: 'myapp_cache' }, ext: { external: true, name: 'ext' } },
      secrets: { token: { file: '/work/My App/token.txt', name: 'myapp_token' } },
    });
  });

  it('keeps depends_on entries on unknown services for the planner to report', async () => {
    const { project } = await load('services:\n  web:\n    image: x\n    depends_on: [ghost]\n');
    expect(project.services.web!.depends_on).toEqual({ ghost: { condition: 'service_started', required: true, restart: false } });
  });

  it('keeps $$ as a literal $ in final values', async () => {
    const { project } = await load('services:\n  web:\n    image: x\n    command: echo $$HOME\n    environment: [PRICE=5$$]\n');
    expect(project.services.web!.command).toEqual(['echo', '$HOME']);
    expect(project.services.web!.environment).toEqual({ PRICE: '5$' });
  });
});

describe('project options', () => {
  const yaml = 'services:\n  web:\n    image: x\n';
  it('names the project -p, then COMPOSE_PROJECT_NAME, then name:, then the directory', async () => {
    const fs = memfs({ '/d/Some_Dir.1/compose.yml': yaml, '/d/named/compose.yaml': `name: fromfile\n${yaml}` });
    const name = async (cwd: string, env: Record<string, string> = {}, projectName?: string) =>
      (await loadProjectWith(fs, { cwd, env, ...(projectName ? { projectName } : {}) })).project.name;
    expect(await name('/d/Some_Dir.1')).toBe('some_dir1');
    expect(await name('/d/named')).toBe('fromfile');
    expect(await name('/d/named', { COMPOSE_PROJECT_NAME: 'fromenv' })).toBe('fromenv');
    expect(await name('/d/named', { COMPOSE_PROJECT_NAME: 'fromenv' }, 'flag')).toBe('flag');
  });

  it('finds the default file, or says which names it looked for', async () => {
    const fs = memfs({ '/p/docker-compose.yml': yaml });
    expect((await loadProjectWith(fs, { cwd: '/p', env: {} })).composeFiles).toEqual(['/p/docker-compose.yml']);
    await expect(loadProjectWith(fs, { cwd: '/q', env: {} })).rejects.toThrow(
      'no compose file found in /q: looked for compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml; name one with -f',
    );
    await expect(loadProjectWith(fs, { cwd: '/p', files: ['nope.yaml'], env: {} })).rejects.toMatchObject({
      name: 'UsageError',
      message: 'compose file /p/nope.yaml not found',
    });
  });

  it('reads .env from the project directory, lets the process env win, and takes the project dir from the first file', async () => {
    const fs = memfs({
      '/p/sub/compose.yaml': 'services:\n  web:\n    image: "${IMG}:${TAG}"\n',
      '/p/sub/.env': 'IMG=fromfile\nTAG=1\n',
      '/p/other.env': 'TAG=2\n',
    });
    const a = await loadProjectWith(fs, { cwd: '/p', files: ['sub/compose.yaml'], env: { IMG: 'fromprocess' } });
    expect(a.workingDir).toBe('/p/sub');
    expect(a.project.services.web!.image).toBe('fromprocess:1');
    const b = await loadProjectWith(fs, { cwd: '/p', files: ['sub/compose.yaml'], envFiles: ['other.env'], env: {} });
    expect(b.project.services.web!.image).toBe(':2');
    expect(b.warnings).toEqual([
      { file: 'sub/compose.yaml', line: 3, path: 'services.web.image', message: 'variable IMG is not set; using an empty string', severity: 'warning' },
    ]);
  });
});
