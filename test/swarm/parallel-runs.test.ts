// Three `envtest run --backend swarm` of the bundled example at once (its suite without the latency
// bound), each with its own run id, through the built CLI on the three-node lab: all pass, each report is its own run's, no run sees
// another's services, and nothing labelled with any of them is left on any node.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { envtest, repoRoot, uniqueRunId } from '../support/cli.js';
import { swarm } from './support/lab.js';
import { runLeftovers } from './support/run-leftovers.js';

const lab = inject('swarmLab');
const env = { DOCKER_HOST: lab.dockerHost, ENVTEST_BACKEND: 'swarm', ENVTEST_REGISTRY: lab.registry };
const artifacts = mkdtempSync(join(tmpdir(), 'envtest-swarm-parallel-'));

/**
 * The example's suite without its latency bound: three runs of five services each on a 2-core
 * machine with a three-node lab answer slower than p95 250 ms, and speed is not what this test is
 * about (backend-run.test.ts runs the example's suite as it is; speed targets live in `npm run bench`).
 */
function suiteWithoutLatency(): string {
  const text = readFileSync(join(repoRoot, 'compose/checks/shop.yaml'), 'utf8');
  const stripped = text.replace(/^\s*(samples|latency):.*\n/gm, '');
  if (stripped === text) throw new Error('compose/checks/shop.yaml has no latency bound any more: use it as it is');
  const file = join(mkdtempSync(join(tmpdir(), 'envtest-swarm-suite-')), 'shop.yaml');
  writeFileSync(file, stripped);
  return file;
}

describe('parallel runs on the swarm', () => {
  it('three runs of the example at once all pass, keep apart, and leave nothing on any node', async () => {
    const ids = ['a', 'b', 'c'].map((n) => uniqueRunId(`swarm-par-${n}`));
    const checks = suiteWithoutLatency();
    const seen = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
    // While they run: every swarm service carries exactly one of the three run labels, and its name says which.
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const id of ids) {
          const names = await swarm(lab, ['service', 'ls', '--filter', `label=envtest.run=${id}`, '--format', '{{.Name}}']).catch(() => '');
          for (const name of names.split('\n').filter(Boolean)) {
            expect(name, `service ${name} labelled ${id}`).toContain(id);
            seen.get(id)!.add(name);
          }
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    const results = await Promise.all(
      ids.map((id) =>
        envtest(['run', '-f', join(repoRoot, 'compose/compose.yaml'), '--checks', checks, '--run-id', id, '--artifacts', artifacts, '--timeout', '8m'], { env }),
      ),
    ).finally(() => (watching = false));
    await watcher;
    for (const [i, result] of results.entries()) expect(result.exitCode, `${ids[i]}:\n${result.all}`).toBe(0);
    for (const id of ids) {
      const report = JSON.parse(readFileSync(join(artifacts, id, 'report.json'), 'utf8')) as { runId: string; status: string; services: { name: string }[] };
      expect(report.runId).toBe(id);
      expect(report.status).toBe('passed');
      expect(report.services.map((s) => s.name).sort()).toEqual(['api', 'cache', 'db', 'gateway', 'migrate']);
      // Seen running on the swarm as services of its own, as many as the example has.
      expect(seen.get(id)!.size, `${id}: ${[...seen.get(id)!].join(', ')}`).toBeGreaterThanOrEqual(5);
    }
    for (const id of ids) expect(await runLeftovers(lab, id)).toEqual([]);
  });
});
