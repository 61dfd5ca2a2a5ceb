import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { loadSuites } from '../../../src/suite/load.js';

const fixture = (name: string) => join(import.meta.dirname, '../../../fixtures', name);

async function failure(paths: string[]): Promise<ValidationError> {
  try {
    await loadSuites(paths, {});
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('loadSuites', () => {
  it('loads the valid fixture with every protocol', async () => {
    const [suite] = await loadSuites([fixture('suite-valid.yaml')], { DB_PASSWORD: 's3cret' });
    expect(suite?.name).toBe('shop internal ports');
    expect(suite?.checks.map((c) => c.protocol)).toEqual(['http', 'tcp', 'grpc', 'postgres', 'mysql', 'redis', 'amqp', 'nats', 'mqtt']);
    expect(suite?.checks[3]).toMatchObject({ options: { password: 's3cret' } });
    // The job goes to the runner as JSON: nothing may be lost on the way.
    expect(JSON.parse(JSON.stringify(suite))).toEqual(JSON.parse(JSON.stringify(suite)));
  });

  it('reads *.yaml and *.yml from a directory in name order, ignoring other files', async () => {
    const suites = await loadSuites([fixture('suite-dir')], {});
    expect(suites.map((s) => s.name)).toEqual(['a', 'shop internal ports']);
  });

  it('gathers problems from every file into one ValidationError', async () => {
    const err = await failure([fixture('suite-unknown-protocol.yaml'), fixture('suite-unknown-key.yaml'), fixture('nope.yaml')]);
    expect(err.problems.map((p) => `${p.file?.replace(/.*fixtures\//, '')}:${p.line ?? ''} ${p.path ?? ''}: ${p.message}`)).toEqual([
      'nope.yaml: : no such file or directory',
      'suite-unknown-protocol.yaml:4 checks[0] "events": unknown protocol "kafka"; supported: tcp, http, grpc, postgres, mysql, redis, amqp, nats, mqtt',
      'suite-unknown-protocol.yaml:7 checks[1] "db": unknown protocol "postgresql" (did you mean "postgres"?); supported: tcp, http, grpc, postgres, mysql, redis, amqp, nats, mqtt',
      'suite-unknown-key.yaml:2 defaults: unknown key "timeot" (did you mean "timeout"?)',
      'suite-unknown-key.yaml:6 checks[0] "gateway health" http: unknown key "methd" (did you mean "method"?)',
      'suite-unknown-key.yaml:8 checks[0] "gateway health" expect: unknown key "stauts" (did you mean "status"?)',
    ]);
    expect(err.message).toMatch(/^invalid check suite, 6 problems:/);
  });

  it('reports the invalid-values fixture', async () => {
    const err = await failure([fixture('suite-invalid-values.yaml')]);
    expect(err.problems).toHaveLength(10);
  });

  it('rejects two suites with the same name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'envtest-suites-'));
    await writeFile(join(dir, 'a.yaml'), 'name: same\nchecks: [{ name: x, target: a:1, tcp: {} }]\n');
    await writeFile(join(dir, 'b.yaml'), 'name: same\nchecks: [{ name: x, target: a:1, tcp: {} }]\n');
    const err = await failure([dir]);
    expect(err.problems.map((p) => p.message)).toEqual([`duplicate suite name "same" (also ${join(dir, 'a.yaml')}); give one a distinct \`name\``]);
  });
});

describe('loadSuites: unreadable entries and repeated paths', () => {
  const valid = 'name: ok\nchecks:\n  - name: web\n    target: web:80\n    tcp: {}\n';

  it('fails naming a dangling symlink, a directory named *.yaml and a FIFO instead of skipping them', async () => {
    const { symlink, mkdir } = await import('node:fs/promises');
    const { execFileSync } = await import('node:child_process');
    const dir = await mkdtemp(join(tmpdir(), 'envtest-suites-'));
    await writeFile(join(dir, 'ok.yaml'), valid);
    await symlink(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml'));
    await mkdir(join(dir, 'folder.yml'));
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const err = await failure([dir]);
    expect(err.problems.map((p) => `${p.file?.slice(dir.length + 1)}: ${p.message}`)).toEqual([
      'dangling.yaml: dangling symlink (its target does not exist)',
      'folder.yml: not a regular file (a suite must be a YAML file)',
      'pipe.yaml: not a regular file (a suite must be a YAML file)',
    ]);
  });

  it('reads one suite given by two different paths once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'envtest-suites-'));
    await writeFile(join(dir, 'ok.yaml'), valid);
    const suites = await loadSuites([join(dir, 'ok.yaml'), `${dir}/../${dir.split('/').pop()}/ok.yaml`, dir], {});
    expect(suites.map((s) => s.name)).toEqual(['ok']);
  });
});
