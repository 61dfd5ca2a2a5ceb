// The benchmark's check runner for the peers (`docker run --rm`): when its time limit kills the
// docker CLI, the container it started is removed too, by its label, instead of staying on the
// engine and holding the peer's network.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error the bench is plain JavaScript
import { runChecksOn } from '../../scripts/bench/checks-runner.mjs';
import { jobLine } from '../../src/model/job-line.js';
import { docker } from '../support/cli.js';

const benchId = `bench-test-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
const labels = { 'envtest.bench': benchId };
const dir = mkdtempSync(join(tmpdir(), 'envtest-bench-runner-'));
const labelled = async () => (await docker(['ps', '-aq', '--filter', `label=envtest.bench=${benchId}`])).split('\n').filter(Boolean);

afterAll(async () => {
  const ids = await labelled();
  if (ids.length) await execa('docker', ['rm', '-f', ...ids], { reject: false });
  await execa('docker', ['network', 'rm', benchId], { reject: false });
  rmSync(dir, { recursive: true, force: true });
});

describe('the bench check runner', () => {
  it('leaves no container behind when its time limit kills it', async () => {
    await docker(['network', 'create', '--internal', '--label', `envtest.bench=${benchId}`, benchId]);
    // A job the runner does not finish within the limit: a check retried for an hour.
    const job = join(dir, 'job.json');
    const check = { name: 'never', target: 'nowhere:1', host: 'nowhere', port: 1, protocol: 'tcp', options: {}, expect: { open: true }, samples: 0, timeoutMs: 500, retry: { forMs: 3_600_000, everyMs: 200 } };
    writeFileSync(job, jobLine({ concurrency: 1, suites: [{ name: 's', file: 's.yaml', checks: [check] }] }));
    await expect(runChecksOn([benchId], job, labels, { timeoutMs: 4000 })).rejects.toThrow(/did not finish within 4 s/);
    expect(await labelled()).toEqual([]);
  }, 60_000);
});
