// `envtest init` writes a starter suite that `envtest run --checks` passes on the same stack: on a
// stack written to a temporary directory and on the repository's example.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envtest, leftovers, repoRoot, runIdsRemovedAfterAll } from '../support/cli.js';
import { hasBusybox, writePortsStack } from '../support/ports-stack.js';

const runId = runIdsRemovedAfterAll(afterAll);

async function initThenRun(stack: string, prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-init-'));
  const suite = join(dir, 'envtest.yaml');
  const inventoried = runId(`${prefix}-init`);
  const init = await envtest(['init', '-f', stack, '--run-id', inventoried], { cwd: dir });
  expect(init.exitCode, init.all).toBe(0);
  expect(init.stdout).toMatch(/^wrote envtest\.yaml: \d+ checks/);
  expect(await leftovers(inventoried)).toEqual([]);
  const text = readFileSync(suite, 'utf8');
  expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/suite\.schema\.json$/);
  expect(existsSync(join(dir, text.split('\n')[0]!.split('$schema=')[1]!))).toBe(true);

  const checked = runId(`${prefix}-run`);
  // As on a laptop: the first run records the generated checks' snapshots (in CI it would refuse to).
  const run = await envtest(['run', '-f', stack, '--checks', suite, '--run-id', checked, '--artifacts', join(dir, 'runs')], { env: { CI: 'false' } });
  expect(run.exitCode, run.all).toBe(0);
  const snapshotted = text.match(/^ {4}snapshot: true$/gm)?.length ?? 0;
  expect(snapshotted).toBeGreaterThan(0);
  expect(run.stderr).toMatch(new RegExp(`snapshot .*envtest\\.snap\\.yaml written: ${snapshotted} recorded`));
  expect(existsSync(join(dir, '__snapshots__', 'envtest.snap.yaml'))).toBe(true);
  expect(await leftovers(checked)).toEqual([]);
  return text;
}

describe('envtest init', () => {
  it('refuses to overwrite a suite without --force, before touching the engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'envtest-init-'));
    writeFileSync(join(dir, 'mine.yaml'), 'keep me\n');
    const result = await envtest(['init', '-f', join(repoRoot, 'compose/compose.yaml'), '-o', 'mine.yaml'], { cwd: dir, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('mine.yaml exists; pass --force to overwrite it');
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toBe('keep me\n');
  });

  it.skipIf(!hasBusybox())('on a stack it has never seen: a suite that run --checks passes, every finding commented', { timeout: 300_000 }, async () => {
    const text = await initThenRun(writePortsStack(), 'init-stack');
    expect(text).toMatch(/target: web:8080\n {4}http: \{ method: GET, path: \/ \}\n {4}expect: \{ status: 200 \}/);
    expect(text).toMatch(/target: cache:6379\n {4}redis: \{ command: \[ PING \] \}/);
    expect(text).toMatch(/target: db:5432\n {4}postgres: /);
    expect(text).toMatch(/target: tiny:8081\n {4}http: /);
    expect(text).toContain('# web:9229/tcp: undeclared');
    expect(text).toContain('# local:7000/tcp: loopback-only');
    expect(text).toContain('# idle:9999/tcp: silent');
    expect(text).toContain('# hidden:7100/tcp: unreachable');
    expect(text).not.toContain('open: false');
  });

  it("on the repository's example: a suite that run --checks passes", { timeout: 300_000 }, async () => {
    const text = await initThenRun(join(repoRoot, 'compose/compose.yaml'), 'init-example');
    expect(text).toMatch(/target: gateway:80\n {4}http: /);
    expect(text).toMatch(/target: db:5432\n {4}postgres: /);
    expect(text).toContain('# api:9100/tcp: loopback-only');
  });
});
