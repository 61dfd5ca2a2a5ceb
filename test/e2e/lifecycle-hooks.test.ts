// Compose's post_start and pre_stop hooks on the real engine, through the built CLI: post_start runs
// in the service's container before its dependents start, pre_stop before teardown removes it, and a
// failing post_start fails the start (exit 3) with nothing left behind.
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envtest, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const runId = runIdsRemovedAfterAll(afterAll);

async function project(yaml: (out: string) => string): Promise<{ file: string; out: string; artifacts: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'envtest-hooks-'));
  const out = await mkdtemp(join(tmpdir(), 'envtest-hooks-out-'));
  await chmod(out, 0o777); // the hooks write as the container's root, or another user
  await writeFile(join(dir, 'compose.yaml'), yaml(out));
  return { file: join(dir, 'compose.yaml'), out, artifacts: await mkdtemp(join(tmpdir(), 'envtest-hooks-art-')) };
}

describe('lifecycle hooks', () => {
  it('runs post_start before dependents start and checks run, with its user, directory and environment, and pre_stop on teardown', async () => {
    const id = runId('hooks');
    const { file, out, artifacts } = await project(
      (dir) => `services:
  db:
    image: envtest/base:bookworm
    command: [sleep, infinity]
    volumes: [shared:/shared, ${dir}:/out]
    post_start:
      - command: sh -c 'echo "post_start as $$(id -un) in $$(pwd) with $$GREETING"'
        user: nobody
        working_dir: /tmp
        environment: [GREETING=hello]
      # Slow on purpose: a dependent or check that did not wait would find nothing.
      - command: [sh, -c, 'sleep 1; echo ready > /shared/marker; nohup python3 -m http.server 8080 --directory /shared > /dev/null 2>&1 &']
    pre_stop:
      - command: [sh, -c, 'ls /shared > /out/pre_stop.txt']
  app:
    image: envtest/base:bookworm
    depends_on: [db]
    volumes: [shared:/shared, ${dir}:/out]
    command: [sh, -c, 'cat /shared/marker > /out/app-saw.txt 2>&1; sleep infinity']
volumes:
  shared: {}
`,
    );
    const suite = join(out, '..', `${id}-suite.yaml`);
    await writeFile(suite, 'name: hooks\nchecks:\n  - name: what post_start served\n    target: db:8080\n    http: { path: /marker }\n    expect: { status: 200, body: { contains: ready } }\n    retry: { for: 0s }\n');
    const run = await envtest(['run', '-f', file, '--checks', suite, '--run-id', id, '--artifacts', artifacts]);
    expect(run.exitCode, run.all).toBe(0);
    expect(await readFile(join(out, 'app-saw.txt'), 'utf8')).toBe('ready\n');
    expect(await readFile(join(artifacts, id, 'logs', 'db.log'), 'utf8')).toContain('post_start | post_start as nobody in /tmp with hello');
    // pre_stop ran on teardown while the container was still there, its volume mounted.
    expect(await readFile(join(out, 'pre_stop.txt'), 'utf8')).toBe('marker\n');
    expect(await leftovers(id)).toEqual([]);
  });

  it('fails the start with exit 3 when post_start fails, naming the service, the exit code and the output, and leaves nothing', async () => {
    const id = runId('hookfail');
    const { file } = await project(
      () => `services:
  web:
    image: envtest/base:bookworm
    command: [sleep, infinity]
    post_start:
      - command: [sh, -c, 'echo migration failed >&2; exit 7']
`,
    );
    const up = await envtest(['up', '-f', file, '--run-id', id]);
    expect(up.exitCode, up.all).toBe(3);
    expect(up.stderr).toMatch(/service web: post_start hook 1 \(sh -c echo migration failed >&2; exit 7\) exited with code 7; its output:\s+migration failed/);
    expect(await leftovers(id)).toEqual([]);
  });
});
