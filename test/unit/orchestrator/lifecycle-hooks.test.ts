import { describe, expect, it } from 'vitest';
import { loadProjectWith } from '../../../src/compose/index.js';
import { ValidationError } from '../../../src/errors.js';
import { PRE_STOP_LABEL, preStopWarning } from '../../../src/orchestrator/lifecycle/lifecycle-hooks.js';
import { serviceContainerSpec } from '../../../src/orchestrator/spec/service-spec.js';
import { memfs } from '../compose/memfs.js';

const yaml = `services:
  web:
    image: x
    post_start:
      - command: sh -c 'echo "hi there"'
        user: root
        privileged: "true"
        working_dir: /
        environment: [FOO=BAR, FROM_SHELL]
    pre_stop:
      - command: [./drain, --now]
        environment: {FOO: BAR}
`;

const load = (text: string) => loadProjectWith(memfs({ '/p/compose.yaml': text }), { cwd: '/p', env: { FROM_SHELL: 'shell' } });

describe('lifecycle hooks in the compose file', () => {
  it('load as compose-go reads them: a string command split as a shell would, environment as a mapping', async () => {
    const web = (await load(yaml)).project.services.web!;
    expect(web.post_start).toEqual([{ command: ['sh', '-c', 'echo "hi there"'], user: 'root', privileged: true, working_dir: '/', environment: { FOO: 'BAR', FROM_SHELL: 'shell' } }]);
    expect(web.pre_stop).toEqual([{ command: ['./drain', '--now'], environment: { FOO: 'BAR' } }]);
  });

  it('pre_stop hooks travel with the container, in a label teardown reads', async () => {
    const web = (await load(yaml)).project.services.web!;
    const spec = serviceContainerSpec('web', web, 'x', { runId: 'r1', project: 'p', networks: {}, volumes: {}, containerIds: {}, extraLabels: {} });
    expect(JSON.parse(spec.labels[PRE_STOP_LABEL]!)).toEqual(web.pre_stop);
    const none = serviceContainerSpec('web', { image: 'x' }, 'x', { runId: 'r1', project: 'p', networks: {}, volumes: {}, containerIds: {}, extraLabels: {} });
    expect(none.labels[PRE_STOP_LABEL]).toBeUndefined();
  });

  it('a hook key that is not one is named; pre_start stays refused by name, saying why', async () => {
    const e = await load(`${yaml}    pre_start:\n      - command: [migrate]\n`.replace('user: root', 'usr: root')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toMatch(/services.web.post_start.0.usr: unknown key "usr"; did you mean "user"\?/);
    expect((e as Error).message).toMatch(/services.web.pre_start: not supported yet \(pre_start runs containers of their own image before the service.*; planned\)/);
  });
});

describe('pre_stop outcomes', () => {
  it('a failure is one warning naming service, container, hook and exit; a success none', () => {
    expect(preStopWarning({ service: 'web', container: 'p-r1-web', hook: 1, exitCode: 0, lines: [] })).toBeUndefined();
    expect(preStopWarning({ service: 'web', container: 'p-r1-web', hook: 2, exitCode: 4, lines: [{ stream: 'stderr', line: 'busy' }] })).toBe('pre_stop hook 2 of web (p-r1-web) exited with code 4: busy; teardown goes on');
    expect(preStopWarning({ service: 'web', container: 'p-r1-web', hook: 1, lines: [], error: 'did not finish within 30 s' })).toBe('pre_stop hook 1 of web (p-r1-web) did not finish within 30 s; teardown goes on');
  });
});
