// run()'s options are refused or turned into settings before any engine call, as `envtest run`'s flags are.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { prepareRun } from '../../../src/library/run.js';
import { loadSuite } from '../../../src/library/suites.js';

const dir = mkdtempSync(join(tmpdir(), 'envtest-prepare-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const compose = join(dir, 'compose.yaml');
writeFileSync(compose, 'services:\n  web:\n    image: nginx\n    environment: { TOKEN: "${TOKEN:-}" }\n');
const suiteFile = join(dir, 'web.yaml');
writeFileSync(suiteFile, 'name: web\nchecks:\n  - name: web answers\n    target: web:80\n    tcp: {}\n');
const artifactsDir = join(dir, 'runs');

describe('prepareRun', () => {
  it('takes up()’s options and run’s own, with their defaults', async () => {
    const suites = [await loadSuite(suiteFile)];
    const p = await prepareRun({ files: [compose], suites, artifactsDir, runId: 'run-unit-1', runTimeout: '2m', env: { CI: 'false', TOKEN: 's3cr3t-value' } });
    expect(p).toMatchObject({ runId: 'run-unit-1', concurrency: 8, runTimeoutMs: 120_000, keep: false, ports: undefined });
    expect(p.snapshots).toMatchObject({ update: false, ci: false });
    expect(p.up?.loaded.project.name).toBeTruthy();
    expect(p.redactor.redact('token s3cr3t-value')).not.toContain('s3cr3t-value');
    expect((await prepareRun({ files: [compose], ports: { strict: true }, artifactsDir, env: { CI: 'true' } })).snapshots.ci).toBe(true);
    expect((await prepareRun({ files: [compose], ports: true, artifactsDir })).ports).toEqual({ strict: false });
  });

  it('attaches without reading compose files, and refuses what cannot go with attach', async () => {
    const p = await prepareRun({ attach: 'up-already-1', ports: true, artifactsDir, sidecarImage: 'my/sidecar:1' });
    expect(p).toMatchObject({ runId: 'up-already-1', up: undefined, attach: 'up-already-1', sidecarImage: 'my/sidecar:1' });
    await expect(prepareRun({ attach: 'x', files: [compose], runId: 'y', keep: true, ports: true, artifactsDir })).rejects.toThrow(
      'attach x works on an environment that is already up; files, runId, keep cannot go with it',
    );
    await expect(prepareRun({ attach: 'bad id!', ports: true, artifactsDir })).rejects.toThrow(/run id "bad id!" is not valid/);
  });

  it('refuses a run with nothing to check, bad numbers and an artifacts path that is a file', async () => {
    await expect(prepareRun({ files: [compose], artifactsDir })).rejects.toBeInstanceOf(UsageError);
    await expect(prepareRun({ files: [compose], ports: true, concurrency: 0, artifactsDir })).rejects.toThrow('concurrency takes a whole number >= 1, not 0');
    await expect(prepareRun({ files: [compose], ports: true, runTimeout: 'soon', artifactsDir })).rejects.toThrow(/runTimeout "soon"/);
    await expect(prepareRun({ files: [compose], ports: true, runTimeout: -1, artifactsDir })).rejects.toThrow(/runTimeout -1/);
    await expect(prepareRun({ files: [compose], ports: true, artifactsDir: compose })).rejects.toThrow(`artifactsDir ${compose} is a file, not a directory`);
  });
});
