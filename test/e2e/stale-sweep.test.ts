// `envtest down --all --stale` on an engine shared by several runs: it removes the runs whose owner
// process is gone, and never a live one, not even a live run without a reaper.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, envtestProcess, fixture, leftovers, stderrSays, uniqueRunId } from '../support/cli.js';

const artifacts = mkdtempSync(join(tmpdir(), 'envtest-stale-'));
afterAll(() => rmSync(artifacts, { recursive: true, force: true }));
const services = async (id: string) => (await docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=service'])).split('\n').filter(Boolean);

describe('the stale sweep', () => {
  it('leaves a live `run --no-reaper` alone: busy for 20 s, it survives a concurrent sweep and ends normally, leaving nothing', async () => {
    const id = uniqueRunId('busy');
    const proc = envtestProcess(['run', '-f', fixture('stack-busy.yaml'), '--checks', fixture('suite-port-opens-late.yaml'), '--run-id', id, '--no-reaper', '--artifacts', artifacts]);
    await stderrSays(proc, 'api running');
    const sweep = await envtest(['down', '--all', '--stale']);
    expect(sweep.exitCode, sweep.all).toBe(0);
    expect(sweep.stdout).not.toContain(id);
    expect(await services(id)).toHaveLength(1);
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(result.stdout).toContain('passed');
    expect(await leftovers(id)).toEqual([]);
  }, 120_000);

  it('removes a `run --no-reaper` whose process was killed', async () => {
    const id = uniqueRunId('killed');
    const proc = envtestProcess(['run', '-f', fixture('stack-busy.yaml'), '--checks', fixture('suite-port-opens-late.yaml'), '--run-id', id, '--no-reaper', '--artifacts', artifacts], { detached: true });
    await stderrSays(proc, 'api running');
    process.kill(-proc.pid!, 'SIGKILL');
    await proc;
    expect(await services(id)).toHaveLength(1); // no reaper: nothing removed it
    const sweep = await envtest(['down', '--all', '--stale']);
    expect(sweep.exitCode, sweep.all).toBe(0);
    expect(sweep.stdout).toContain(id);
    expect(await leftovers(id)).toEqual([]);
  }, 120_000);
});
