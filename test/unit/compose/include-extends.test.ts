import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/compose/index.js';

const fixtures = resolve(import.meta.dirname, '../../../fixtures');

describe('include', () => {
  it('adds the included services with paths and .env relative to the included project', async () => {
    const { project } = await loadProject({ cwd: resolve(fixtures, 'compose-include'), env: {} });
    expect(Object.keys(project.services)).toEqual(['api', 'web', 'worker']);
    expect(project.services.api).toEqual({
      build: { context: `${fixtures}/compose-include/sub/api`, dockerfile: 'Dockerfile' },
      environment: { MODE: 'from-sub-env' },
      volumes: [{ type: 'bind', source: `${fixtures}/compose-include/sub/data`, target: '/data', bind: { create_host_path: true } }],
      networks: { default: null },
    });
    expect(project.services.worker!.command).toEqual(['sleep', 'infinity']);
  });

  it('reports include cycles with the chain of files', async () => {
    await expect(loadProject({ cwd: fixtures, files: ['compose-include-cycle-a.yaml'], env: {} })).rejects.toThrow(
      'invalid compose project: compose-include-cycle-b.yaml:2 include.0: include cycle: compose-include-cycle-a.yaml -> compose-include-cycle-b.yaml -> compose-include-cycle-a.yaml',
    );
  });
});

describe('extends', () => {
  it('merges the base service from another file (paths relative to it) and from the same file', async () => {
    const { project } = await loadProject({ cwd: resolve(fixtures, 'compose-extends'), env: {} });
    const base = `${fixtures}/compose-extends/base`;
    const common = {
      build: { context: base, dockerfile: 'Dockerfile' },
      volumes: [{ type: 'bind', source: `${base}/conf`, target: '/conf', read_only: true, bind: { create_host_path: true } }],
      networks: { default: null },
    };
    expect(project.services.web).toEqual({ ...common, command: ['server'], environment: { ROLE: 'web', SHARED: '1' } });
    expect(project.services.worker).toEqual({ ...common, command: ['worker', '--queue', 'default'], environment: { ROLE: 'worker', SHARED: '1' } });
  });

  it('reports cycles and missing services', async () => {
    const { memfs } = await import('./memfs.js');
    const { loadProjectWith } = await import('../../../src/compose/index.js');
    const fs = memfs({
      '/p/compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n  c:\n    extends: {service: bse}\n  base:\n    image: x\n',
    });
    await expect(loadProjectWith(fs, { cwd: '/p', env: {} })).rejects.toThrow(
      [
        'invalid compose project, 2 problems:',
        '  - compose.yaml:5 services.b.extends: extends cycle: a -> b -> a',
        '  - compose.yaml:7 services.c.extends: service "bse" to extend is not defined in this file; did you mean "base"?',
      ].join('\n'),
    );
  });
});
