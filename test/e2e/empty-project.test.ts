// A project with no services through the built CLI: `up`, `run` and `ports` refuse it (exit 2)
// instead of reporting an empty run as up; `config` prints it, as docker compose does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envtest, leftovers, uniqueRunId } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'envtest-empty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const compose = join(dir, 'compose.yaml');
writeFileSync(compose, 'name: emptyproject\nservices: {}\n');

describe('a project with no services', () => {
  it.each([['up'], ['run', '--ports'], ['ports']])('%s refuses it with exit 2, file and line, and starts nothing', async (...args) => {
    const id = uniqueRunId('emptyproject');
    const result = await envtest([...args, '-f', compose, '--run-id', id]);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('compose.yaml:2 services: no service to start');
    expect(result.all).not.toContain('is up');
    expect(await leftovers(id)).toEqual([]);
  });

  it('config prints it, as docker compose does', async () => {
    const result = await envtest(['config', '-f', compose]);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('services: {}');
  });
});
