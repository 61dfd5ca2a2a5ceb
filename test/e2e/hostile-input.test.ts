// Bad and hostile input through the built CLI: the engine-socket promise on a real engine, and the
// flag problems refused before anything starts. Nothing labelled with a run may remain.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, leftovers, repoRoot, uniqueRunId } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'envtest-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('the engine-socket guard, on a real engine', () => {
  const stack = file(
    'socket-parents.yaml',
    [
      'name: socketparents',
      'services:',
      '  hostrun:',
      '    image: envtest/base:bookworm',
      '    command: ["sh", "-c", "test -S /hostrun/docker.sock && sleep infinity"]',
      '    volumes: ["/var/run:/hostrun:ro"]',
      '  rootfs:',
      '    image: envtest/base:bookworm',
      '    command: ["sleep", "infinity"]',
      '    volumes: ["/:/rootfs:ro"]',
      '',
    ].join('\n'),
  );

  it('refuses a parent of the socket (/var/run, /) with exit 2, naming service and mount, and starts nothing', async () => {
    const id = uniqueRunId('socketparents');
    const result = await envtest(['up', '-f', stack, '--run-id', id, '--timeout', '30s']);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('socket-parents.yaml:6 services.hostrun.volumes[0]: mounts /var/run, which holds the container engine socket (/var/run/docker.sock)');
    expect(result.stderr).toContain('socket-parents.yaml:10 services.rootfs.volumes[0]: mounts /, which holds the container engine socket');
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(await leftovers(id)).toEqual([]);
    expect(await docker(['ps', '-aq', '--filter', 'label=envtest.project=socketparents'])).toBe('');
  });

  it('with --allow-engine-socket the same mount really hands the socket over (so the refusal is the guard)', async () => {
    const id = uniqueRunId('socketallowed');
    const up = await envtest(['up', '-f', stack, '--run-id', id, '--timeout', '60s', '--allow-engine-socket']);
    try {
      expect(up.exitCode, up.all).toBe(0);
      const [container] = (await docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.service=hostrun'])).split('\n');
      expect(await docker(['exec', container!, 'sh', '-c', 'test -S /hostrun/docker.sock && echo socket'])).toBe('socket');
    } finally {
      await envtest(['down', id]);
    }
    expect(await leftovers(id)).toEqual([]);
  });
});

describe('run --attach of a run that is not up, on a real engine', () => {
  it('exits 2 naming the run id, and makes nothing', async () => {
    const id = uniqueRunId('notup');
    const suite = file('attach-suite.yaml', 'checks:\n  - name: web\n    target: web:80\n    tcp: {}\n');
    const result = await envtest(['run', '--attach', id, '--checks', suite, '--artifacts', join(dir, 'runs')]);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain(`no environment with run id ${id} is up on this engine`);
    expect(await leftovers(id)).toEqual([]);
  });
});

describe('flags refused before anything starts (exit 2, a sentence, no engine needed)', () => {
  const noEngine = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
  const compose = file('compose.yaml', 'services:\n  web:\n    image: envtest/base:bookworm\n');
  const suite = file('suite.yaml', 'checks:\n  - name: web\n    target: web:80\n    tcp: {}\n');
  const refused = async (args: string[], message: string | RegExp, opts: { direct?: boolean } = {}) => {
    const result = opts.direct ? await execa(join(repoRoot, 'bin/envtest.js'), args, { reject: false, env: noEngine, cwd: dir }) : await envtest(args, { env: noEngine, cwd: dir });
    expect(result.exitCode, `${args.join(' ')}\n${result.stderr}`).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  };

  it('unknown --format values, on every command that has one', async () => {
    await refused(['ls', '--format', 'xml'], "argument 'xml' is invalid. Allowed choices are text, json.");
    await refused(['plan', '-f', compose, '--format', 'yaml'], "argument 'yaml' is invalid. Allowed choices are text, json.");
    await refused(['config', '-f', compose, '--format', 'text'], "argument 'text' is invalid. Allowed choices are yaml, json.");
    await refused(['ports', '--format', 'csv'], "argument 'csv' is invalid. Allowed choices are text, json.");
    await refused(['report', dir, '--format', 'json'], "argument 'json' is invalid. Allowed choices are html, text.");
  });

  it('--timeout 0, and durations beyond what a timer holds', async () => {
    await refused(['up', '-f', compose, '--timeout', '0'], 'envtest: --timeout "0": must be longer than 0');
    await refused(['run', '-f', compose, '--checks', suite, '--run-timeout', '600h'], '--run-timeout "600h": longer than envtest can wait');
  });

  it('down of something that cannot be a run id', async () => {
    await refused(['down', 'bad id!;rm'], 'envtest: run id "bad id!;rm" is not valid');
  });

  it('run --attach with -f, --run-id or --keep', async () => {
    await refused(['run', '--attach', 'some-run', '--checks', suite, '-f', compose, '--run-id', 'x', '--keep'], '--attach some-run works on an environment that is already up; -f/--file, --run-id, --keep cannot go with it');
    await refused(['ports', '--attach', 'some-run', '--run-id', 'x'], '--attach some-run works on an environment that is already up; --run-id cannot go with it');
  });

  it('--artifacts that is a file, below a file, or not writable', async () => {
    const plain = file('not-a-dir', '');
    await refused(['run', '-f', compose, '--checks', suite, '--artifacts', plain], `--artifacts ${plain} is a file, not a directory`);
    await refused(['run', '-f', compose, '--checks', suite, '--artifacts', join(plain, 'runs')], `cannot be created: ${plain} is a file`);
    await refused(['run', '-f', compose, '--checks', suite, '--artifacts', '/sys/envtest-artifacts'], /--artifacts \/sys\/envtest-artifacts cannot be written/);
  });

  it('--env-file reaches envtest, not Node (the launcher ends Node’s options)', async () => {
    await refused(['config', '-f', compose, '--env-file', 'missing.env'], 'missing.env: env file not found', { direct: true });
    await refused(['config', '-f', compose, '--env-file=missing.env'], 'missing.env: env file not found', { direct: true });
    // `node -- bin/envtest.js` (the tests' and CI shims' way) must not hand it to Node either.
    await refused(['config', '-f', compose, '--env-file', 'missing.env'], 'missing.env: env file not found');
  });

  it('-f DIRECTORY, --project-directory missing or a file', async () => {
    await refused(['config', '-f', dir], `compose file ${dir} is a directory`);
    await refused(['config', '-f', compose, '--project-directory', join(dir, 'nope')], `--project-directory ${join(dir, 'nope')} does not exist`);
    await refused(['config', '-f', compose, '--project-directory', compose], `--project-directory ${compose} is a file`);
  });

  it('-f - reads the compose file from stdin', async () => {
    const result = await execa('node', [join(repoRoot, 'bin/envtest.js'), 'config', '-f', '-', '--services'], { reject: false, cwd: dir, input: 'services:\n  fromstdin:\n    image: x\n' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('fromstdin');
  });
});

describe('control characters reach the terminal escaped', () => {
  it('a check name with ESC, BEL and CR is written as \\xNN, never raw', async () => {
    const suite = file('controls.yaml', 'name: "t\\e]0;title\\a\\rx"\nchecks:\n  - name: "web\\e[2J"\n    target: web:80\n    tcp: {}\n    nope: 1\n');
    const result = await envtest(['run', '-f', join(repoRoot, 'fixtures/stack-tiny.yaml'), '--checks', suite]);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('checks[0] "web\\x1b[2J": unknown key "nope"');
    expect(result.all).not.toMatch(/[\x07\x0d\x1b]/);
  });
});
