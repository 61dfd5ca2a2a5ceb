import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { loadProject, loadProjectWith } from '../../../src/compose/index.js';
import { memfs } from './memfs.js';

const fixtures = resolve(import.meta.dirname, '../../../fixtures');

async function problemsOf(p: Promise<unknown>) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ValidationError);
  return (e as ValidationError).problems;
}

describe('validation', () => {
  it('gathers every problem with file, key path, line and what would be right', async () => {
    const problems = await problemsOf(loadProject({ cwd: fixtures, files: ['compose-unsupported.yaml'], env: {} }));
    expect(problems.map((p) => `${p.file}:${p.line} ${p.path}: ${p.message}`)).toEqual([
      'compose-unsupported.yaml:3 services.web.imgae: unknown key "imgae"; did you mean "image"?',
      'compose-unsupported.yaml:4 services.web.annotations: not supported yet (needs Docker Engine API 1.43 (docker 24); planned)',
      'compose-unsupported.yaml:6 services.web.external_links: not supported yet (a run reaches only the containers it starts; add the service to the project instead; not planned)',
      'compose-unsupported.yaml:8 services.web.restart: the string "sometimes" is not valid: expected "no", "always", "on-failure[:max-retries]" or "unless-stopped"',
      'compose-unsupported.yaml:11 services.web.healthcheck.test: expected a string or a list, got the number 5',
      'compose-unsupported.yaml:13 services.web.environment.URL: required variable DB_URL is missing a value: set DB_URL to the database address',
      'compose-unsupported.yaml:15 services.bad name!: invalid name "bad name!": service names may contain only letters, digits, ".", "_" and "-"',
      'compose-unsupported.yaml:17 netwroks: unknown key "netwroks"; did you mean "networks"?',
    ]);
  });

  it('checks what only the merged project can tell, naming the file the key came from', async () => {
    const fs = memfs({
      '/p/compose.yaml': 'services:\n  web:\n    image: x\n  db:\n    environment: {A: b}\n',
      '/p/override.yaml': 'services:\n  web:\n    network_mode: host\n    volumes: [data:/data]\n    networks: [back]\n',
    });
    const problems = await problemsOf(loadProjectWith(fs, { cwd: '/p', files: ['compose.yaml', 'override.yaml'], env: {} }));
    expect(problems.map((p) => `${p.file}:${p.line} ${p.path}: ${p.message}`)).toEqual([
      'compose.yaml:4 services.db: has neither "image" nor "build": set one of them',
      `override.yaml:3 services.web.network_mode: is refused (not planned): "host" puts the service on the machine's own network, outside the run's isolated one, where parallel runs collide on ports and checks could reach the host; drop network_mode and reach the service by its name, or publish its ports with --publish`,
      'override.yaml:5 services.web.networks: cannot be used together with network_mode',
      'override.yaml:4 services.web.volumes.0: named volume "data" is not defined in the top-level volumes section',
    ]);
  });

  it('names file, line and column of broken YAML', async () => {
    const e = await loadProject({ cwd: fixtures, files: ['compose-broken-yaml.yaml'], env: {} }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toMatchInlineSnapshot(`"invalid compose project: compose-broken-yaml.yaml:4: YAML syntax error at line 4, column 12: this flow sequence is never closed with ]"`);
  });

  it('reports a bad port or volume with its own line', async () => {
    const fs = memfs({ '/p/compose.yaml': 'services:\n  web:\n    image: x\n    ports:\n      - "80"\n      - "80/http"\n    volumes: ["v:/x:bogus"]\n' });
    expect(await problemsOf(loadProjectWith(fs, { cwd: '/p', env: {} }))).toEqual([
      { file: 'compose.yaml', line: 6, path: 'services.web.ports.1', message: 'protocol "http" in "80/http" must be tcp, udp or sctp' },
      { file: 'compose.yaml', line: 7, path: 'services.web.volumes.0', message: '"v:/x:bogus": unknown volume option "bogus"; expected ro, rw or nocopy' },
    ]);
  });

  it('reports a missing include or extends file where it is referenced', async () => {
    const fs = memfs({ '/p/compose.yaml': 'include: [nope.yaml]\nservices:\n  web:\n    extends: {file: gone.yaml, service: x}\n' });
    expect(await problemsOf(loadProjectWith(fs, { cwd: '/p', env: {} }))).toEqual([
      { file: 'compose.yaml', line: 1, path: 'include.0', message: 'compose file nope.yaml not found' },
      { file: 'compose.yaml', line: 4, path: 'services.web.extends', message: 'compose file gone.yaml not found' },
    ]);
  });
});

describe('profiles', () => {
  const yaml = `
services:
  web:
    image: x
    depends_on:
      debug: {condition: service_started, required: false}
  api:
    image: x
    depends_on: [db]
  db:
    image: x
    profiles: [data]
  debug:
    image: x
    profiles: [debug, tools]
`;
  const fs = memfs({ '/p/compose.yaml': yaml });

  it('keeps services of active profiles and lists every profile', async () => {
    const r = await loadProjectWith(fs, { cwd: '/p', profiles: ['data'], env: { COMPOSE_PROFILES: 'debug' } });
    expect(Object.keys(r.project.services)).toEqual(['api', 'db', 'debug', 'web']);
    expect(r.profiles).toEqual(['data', 'debug']);
    expect(r.allProfiles).toEqual(['data', 'debug', 'tools']);
  });

  it('refuses a required dependency on a disabled service, and drops an optional one with a warning', async () => {
    const problems = await problemsOf(loadProjectWith(fs, { cwd: '/p', env: {} }));
    expect(problems).toEqual([
      {
        file: 'compose.yaml',
        line: 9,
        path: 'services.api.depends_on.db',
        message: 'depends on "db", which is not enabled: it needs --profile data; activate it, or set required: false',
      },
    ]);
    const r = await loadProjectWith(fs, { cwd: '/p', profiles: ['data'], env: {} });
    expect(r.project.services.web!.depends_on).toEqual({});
    expect(r.warnings.map((w) => w.message)).toEqual([
      'optional dependency "debug" is not enabled (it needs --profile debug or --profile tools) and is skipped',
    ]);
  });
});
