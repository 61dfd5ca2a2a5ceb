import { describe, expect, it } from 'vitest';
import { loadProjectWith } from '../../../src/compose/index.js';
import { ValidationError } from '../../../src/errors.js';
import { dropDirectories, readOnlyFilePlan } from '../../../src/orchestrator/spec/read-only-files.js';
import { serviceContainerSpec } from '../../../src/orchestrator/spec/service-spec.js';
import { refuseUnstartableKeys } from '../../../src/orchestrator/spec/unstartable-keys.js';
import { memfs } from '../compose/memfs.js';

async function load(yaml: string) {
  return loadProjectWith(memfs({ '/p/compose.yaml': yaml }), { cwd: '/p', env: {} });
}

const readOnly = `
services:
  web:
    image: x
    read_only: true
    volumes: [data:/var/lib/app, /host/conf:/etc/conf:ro]
    secrets: [pw, {source: pw, target: nested/deeper/pw}, {source: pw, target: /var/lib/app/pw}]
    configs: [{source: app, target: /etc/conf/app.conf}, {source: app, target: /opt/app/app.conf}]
volumes: {data: {}}
secrets: {pw: {content: s}}
configs: {app: {content: c}}
`;

describe('secrets and configs of a read_only service', () => {
  it('get one labelled anonymous volume per outermost directory not already on a writable mount', async () => {
    const { project } = await load(readOnly.replace('secrets: {pw: {content: s}}', 'secrets: {pw: {file: ./pw}}'));
    const web = project.services.web!;
    // /var/lib/app is the service's own writable volume; /etc/conf is mounted read-only, so it needs one.
    expect(readOnlyFilePlan(web)).toEqual({ volumes: ['/etc/conf', '/opt/app', '/run/secrets'], atRoot: [] });
    const spec = serviceContainerSpec('web', web, 'x', { runId: 'r1', project: 'p', networks: {}, volumes: { data: 'p-r1_data' }, containerIds: {}, extraLabels: {} });
    const added = spec.mounts!.filter((m) => m.source === undefined);
    expect(added.map((m) => m.target)).toEqual(['/etc/conf', '/opt/app', '/run/secrets']);
    expect(added[0]!.volume?.labels).toMatchObject({ 'envtest.run': 'r1', 'envtest.service': 'web' });
  });

  it('are extracted into the volume that holds each, not at the read-only root', async () => {
    const { project } = await load(readOnly.replace('secrets: {pw: {content: s}}', 'secrets: {pw: {file: ./pw}}'));
    const drops = dropDirectories(project.services.web!, ['/run/secrets/pw', '/run/secrets/nested/deeper/pw', '/var/lib/app/pw', '/etc/conf/app.conf', '/opt/app/app.conf']);
    expect(Object.fromEntries(drops)).toEqual({
      '/run/secrets': ['/run/secrets/pw', '/run/secrets/nested/deeper/pw'],
      '/var/lib/app': ['/var/lib/app/pw'],
      '/etc/conf': ['/etc/conf/app.conf'],
      '/opt/app': ['/opt/app/app.conf'],
    });
  });

  it('on a writable root: no volume, everything extracted at /', async () => {
    const { project } = await load(readOnly.replace('read_only: true', 'read_only: false').replace('secrets: {pw: {content: s}}', 'secrets: {pw: {file: ./pw}}'));
    expect(readOnlyFilePlan(project.services.web!).volumes).toEqual([]);
    expect([...dropDirectories(project.services.web!, ['/run/secrets/pw', '/opt/app/app.conf']).keys()]).toEqual(['/']);
  });

  it('a file directly in / (a config with its default target) is refused before the start, naming the line', async () => {
    const loaded = await load('services:\n  web:\n    image: x\n    read_only: true\n    configs: [app]\nconfigs:\n  app: {content: c}\n');
    expect(() => refuseUnstartableKeys(loaded.project, loaded.locate)).toThrow(ValidationError);
    expect(() => refuseUnstartableKeys(loaded.project, loaded.locate)).toThrow(/compose.yaml:5 services.web.configs.0: lands in \/app, directly in the root of a read_only service.*such as \/etc\/app/);
  });
});

describe('network_mode: container:<name>', () => {
  it('loads, as in docker compose config, and is refused when a run would start it, saying what to use instead', async () => {
    const loaded = await load('services:\n  web:\n    image: x\n    network_mode: container:other\n');
    expect(loaded.project.services.web!.network_mode).toBe('container:other');
    expect(() => refuseUnstartableKeys(loaded.project, loaded.locate)).toThrow(/compose.yaml:4 services.web.network_mode: "container:other" is refused \(not planned\): it joins the network of a container outside the run.*use network_mode "service:<name>"/);
  });
});
