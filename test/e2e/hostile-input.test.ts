// Bad and hostile input through the built CLI: the engine-socket promise on a real engine, and the
// flag problems refused before anything starts. Nothing labelled with a run may remain.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, leftovers, uniqueRunId } from '../support/cli.js';

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
