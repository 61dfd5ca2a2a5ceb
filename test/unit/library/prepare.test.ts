// up()'s options are refused or turned into settings before any engine call, as the CLI's flags are.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError, ValidationError } from '../../../src/errors.js';
import { prepareUp } from '../../../src/library/prepare.js';

const dir = mkdtempSync(join(tmpdir(), 'envtest-prepare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const compose = join(dir, 'compose.yaml');
writeFileSync(compose, 'services:\n  db:\n    image: postgres:${PG_TAG:-16}\n    profiles: [data]\n  web:\n    image: nginx\n');

describe('prepareUp', () => {
  it('layers env over process.env for interpolation and takes profiles, project name and run id', async () => {
    const p = await prepareUp({ files: [compose], env: { PG_TAG: '17' }, profiles: ['data'], projectName: 'shop', runId: 'lib-unit-1' });
    expect(p.loaded.project.name).toBe('shop');
    expect(p.loaded.project.services.db?.image).toBe('postgres:17');
    expect(p.runId).toBe('lib-unit-1');
    expect(p).toMatchObject({ timeoutMs: 120_000, egress: false, publish: undefined, build: 'changed', reaper: true });
  });

  it('reads timeout as milliseconds or a duration, and publish as the flag does', async () => {
    expect((await prepareUp({ files: [compose], timeout: 1500 })).timeoutMs).toBe(1500);
    expect((await prepareUp({ files: [compose], timeout: '2m' })).timeoutMs).toBe(120_000);
    expect((await prepareUp({ files: [compose], publish: true })).publish).toBe('free');
    expect((await prepareUp({ files: [compose], publish: 'declared', build: false })).build).toBe('missing');
    expect((await prepareUp({ files: [compose], build: 'always' })).build).toBe('always');
  });

  it('turns the reaper off with reaper: false or ENVTEST_REAPER=off in env', async () => {
    expect((await prepareUp({ files: [compose], reaper: false })).reaper).toBe(false);
    expect((await prepareUp({ files: [compose], env: { ENVTEST_REAPER: 'off' } })).reaper).toBe(false);
  });

  it('refuses bad options and bad input with the typed errors the CLI maps to exit 2', async () => {
    await expect(prepareUp({ files: [compose], timeout: 0 })).rejects.toThrow(UsageError);
    await expect(prepareUp({ files: [compose], timeout: 'soon' })).rejects.toThrow(/timeout "soon": expected a duration/);
    await expect(prepareUp({ files: [compose], publish: 'all' as 'free' })).rejects.toThrow(/publish takes free or declared/);
    await expect(prepareUp({ files: [compose], runId: 'Bad Id!' })).rejects.toThrow(UsageError);
    await expect(prepareUp({ files: [join(dir, 'missing.yaml')] })).rejects.toThrow(UsageError);
    writeFileSync(join(dir, 'bad.yaml'), 'services:\n  web:\n    imgae: nginx\n');
    await expect(prepareUp({ files: [join(dir, 'bad.yaml')] })).rejects.toThrow(ValidationError);
  });
});
