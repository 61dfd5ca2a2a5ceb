// Files that cannot be written: a full disk (simulated with /dev/full) under a log file, or an
// artifact path taken by a folder. Reported as warnings or as the run's failure, never a crash,
// and never in place of the error that ended the run.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envtest, fixture, leftovers, uniqueRunId } from '../support/cli.js';

const artifacts = mkdtempSync(join(tmpdir(), 'envtest-disk-'));
afterAll(() => rmSync(artifacts, { recursive: true, force: true }));

const passingRun = (id: string) => ['run', '-f', fixture('stack-busy.yaml'), '--checks', fixture('suite-port-opens-late.yaml'), '--run-id', id, '--artifacts', artifacts];
const quick = { env: { BUSY_SECONDS: '1' } };

describe('files that cannot be written', () => {
  it('a full disk under the service log and envtest.log is reported, and the run still passes', async () => {
    const id = uniqueRunId('diskfull');
    mkdirSync(join(artifacts, id, 'logs'), { recursive: true });
    symlinkSync('/dev/full', join(artifacts, id, 'logs', 'api.log'));
    symlinkSync('/dev/full', join(artifacts, id, 'envtest.log'));
    const result = await envtest(passingRun(id), quick);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toMatch(/warning: the log of api could not be written to .*api\.log, the rest of it is not saved: .*ENOSPC/);
    expect(result.stderr).toMatch(/warning: the log file .*envtest\.log could not be written, the rest of it is not saved: .*ENOSPC/);
    expect(result.stderr).not.toContain('internal error');
    expect(await leftovers(id)).toEqual([]);
  });

  it('artifacts that cannot be written fail a passing run (exit 3) saying so', async () => {
    const id = uniqueRunId('noreport');
    mkdirSync(join(artifacts, id, 'report.json'), { recursive: true }); // a folder where the file goes
    const result = await envtest(passingRun(id), quick);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toMatch(/envtest: the artifacts could not be written to .*: EISDIR/);
    expect(result.stderr).not.toContain('internal error');
    expect(await leftovers(id)).toEqual([]);
  });

  it('artifacts that cannot be written never replace the error that ended the run', async () => {
    const id = uniqueRunId('noreportfail');
    mkdirSync(join(artifacts, id, 'report.json'), { recursive: true });
    const result = await envtest(['run', '-f', fixture('stack-missing-image.yaml'), '--checks', fixture('suite-slow.yaml'), '--run-id', id, '--artifacts', artifacts]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('envtest: image envtest/does-not-exist:1 of service api is not present locally');
    expect(result.stderr).toMatch(/warning: the artifacts could not be written to .*: EISDIR/);
    expect(await leftovers(id)).toEqual([]);
  });
});
