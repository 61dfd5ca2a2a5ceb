// `npm run bench` end to end in its --quick form: every row of the quick set is there with figures,
// every run was green, and nothing the bench made is left on the engine (looked up here with the
// docker CLI, by the bench's own id). No figure is compared with a target: timings are printed by
// the bench, never asserted in tests.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { docker, repoRoot } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'envtest-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Summary = { median: number; min: number; max: number; n: number };
const isSummary = (s: unknown) => {
  const x = s as Summary;
  return typeof x?.median === 'number' && x.min <= x.median && x.median <= x.max && x.n >= 1;
};

it('bench --quick writes every row with numbers, all green, and leaves nothing behind', { timeout: 1_200_000 }, async () => {
  const out = join(dir, 'results.json');
  const composeCli = (await execa('docker', ['compose', 'version'], { reject: false })).exitCode === 0
    || (await execa('docker-compose', ['version'], { reject: false })).exitCode === 0;
  // The example's suite without its latency bound: on a loaded machine that bound is a timing
  // assertion, and this test asserts none. Everything else is the example as the bench runs it.
  const suite = parse(readFileSync(join(repoRoot, 'compose/checks/shop.yaml'), 'utf8'));
  for (const check of suite.checks) delete check.latency;
  const checks = join(dir, 'shop.yaml');
  writeFileSync(checks, stringify(suite));
  const bench = await execa('node', ['scripts/bench.mjs', '--quick', '--out', out, '--stack', join(repoRoot, 'compose/compose.yaml'), '--checks', checks], { cwd: repoRoot, reject: false, all: true });
  expect(bench.exitCode, bench.all).toBe(0);
  expect(bench.stdout).toContain('Goals (issue 14)');
  expect(bench.stdout).toMatch(/Left behind on the engine .*: nothing/);

  const result = JSON.parse(readFileSync(out, 'utf8'));
  const row = (id: string) => result.rows.find((r: { id: string }) => r.id === id);
  expect(result.rows.map((r: { id: string }) => r.id)).toEqual(['example', 'readiness', 'wide-5', 'deep-5', 'parallel-1', 'parallel-2', 'sidecar-tcp', 'sidecar-http', 'forward']);
  for (const r of result.rows) expect(r.problems, r.id).toEqual([]);

  const example = row('example');
  for (const key of ['envtestMs', 'limitMs', 'limitChecksMs', 'teardownMs', 'peakRssMb', 'readinessLagMs']) expect(isSummary(example[key]), key).toBe(true);
  expect(example.envtestPerLimit).toBeGreaterThan(0);
  expect(example.limitChain).toEqual(expect.arrayContaining(['gateway']));
  expect(Object.keys(example.perService).sort()).toEqual(['api', 'cache', 'db', 'gateway', 'migrate']);
  if (composeCli) {
    expect(isSummary(example.composeMs)).toBe(true);
    expect(example.envtestPerCompose).toBeGreaterThan(0);
  }
  // Every kind of readiness measured from the moment its service said it happened.
  for (const kind of ['healthy', 'listening', 'completed']) expect(isSummary(row('readiness').lagMs[kind]), kind).toBe(true);
  expect(row('readiness').green).toBe('1/1');
  for (const id of ['wide-5', 'deep-5']) {
    expect(row(id).services).toBe(5);
    expect(row(id).green).toBe('1/1');
    for (const key of ['envtestMs', 'limitMs', 'peakRssMb']) expect(isSummary(row(id)[key]), `${id} ${key}`).toBe(true);
  }
  // The deep stack's limit is its whole chain, the wide one's a single service.
  expect(row('deep-5').limitChain).toEqual(['s01', 's02', 's03', 's04', 's05']);
  expect(row('wide-5').limitChain).toHaveLength(1);
  for (const id of ['parallel-1', 'parallel-2']) {
    expect(row(id).allGreen, id).toBe(true);
    expect(isSummary(row(id).runsPerMinute)).toBe(true);
  }
  for (const id of ['sidecar-tcp', 'sidecar-http']) {
    expect(row(id).passed).toBe(100);
    expect(row(id).perSecond).toBeGreaterThan(0);
  }
  expect(isSummary(row('forward').mbPerS)).toBe(true);
  expect(row('forward').complete).toBe(1);
  expect(result.goals.map((g: { goal: string }) => g.goal)).toEqual(expect.arrayContaining([expect.stringContaining('teardown'), expect.stringContaining('critical-path limit'), expect.stringContaining('readiness seen')]));
  expect(result.goals.every((g: { met: string }) => ['met', 'NOT MET'].includes(g.met))).toBe(true);

  // Independently of the bench's own check: nothing carries its id.
  const id: string = result.benchId;
  expect(id).toMatch(/^bench-/);
  expect(await docker(['ps', '-a', '-q', '--filter', `label=envtest.bench=${id}`])).toBe('');
  expect(await docker(['network', 'ls', '-q', '--filter', `label=envtest.bench=${id}`])).toBe('');
  const runs = await docker(['ps', '-a', '--filter', 'label=envtest.run', '--format', '{{.Label "envtest.run"}}']);
  expect(runs.split('\n').filter((r) => r.startsWith(`${id}-`))).toEqual([]);
  const projects = await docker(['ps', '-a', '--filter', 'label=com.docker.compose.project', '--format', '{{.Label "com.docker.compose.project"}}']);
  expect(projects.split('\n').filter((p) => p.startsWith(id.replace(/[^a-z0-9]/g, '')))).toEqual([]);
});
