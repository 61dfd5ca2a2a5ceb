// Several `envtest up` racing for one run id: one wins, the others stop with exit 2, and none of
// the losers' reapers takes the winner's environment down after they exit.
import { describe, expect, it } from 'vitest';
import { docker, envtest, fixture, leftovers, uniqueRunId } from '../support/cli.js';

describe('a run id raced for by several processes', () => {
  it('one start wins, the others exit 2, and the winner is still up after the reapers would have reaped', async () => {
    const id = uniqueRunId('race');
    const results = await Promise.all(Array.from({ length: 4 }, () => envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id])));
    try {
      const codes = results.map((r) => r.exitCode).sort();
      expect(codes, results.map((r) => r.all).join('\n---\n')).toEqual([0, 2, 2, 2]);
      for (const r of results.filter((r) => r.exitCode === 2)) expect(r.stderr).toMatch(new RegExp(`run id ${id} (is already in use|was taken by another envtest process)`));
      await new Promise((r) => setTimeout(r, 4000)); // longer than a reaper's grace
      expect(await docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=service'])).not.toBe('');
      expect(await docker(['ps', '-aq', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=reaper'])).toBe('');
    } finally {
      await envtest(['down', id]);
    }
    expect(await leftovers(id)).toEqual([]);
  }, 120_000);
});
