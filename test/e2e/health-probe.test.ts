// envtest runs a service's health check itself (docs/performance.md, README "Readiness"): on a real
// engine, a check with a 30 s interval that passes after about a second makes its service ready,
// and lets its `service_healthy` dependent start, long before the engine's first run of the check.
// A check that never passes still fails the start as the engine decides it (exit 3). The probe runs
// often while its runs are quick and backs off when they are slow (counted from the runs the check
// itself logs in the container), and works in an image without /bin/sh (one exec per run).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const runId = runIdsRemovedAfterAll(afterAll);

/** Seconds since the start, from a progress line: under a second it reads `+950ms`, past it `+4.4s`. */
const at = (output: string, line: RegExp) => {
  const [, value, unit] = line.exec(output) ?? [];
  return unit === 'ms' ? Number(value) / 1000 : Number(value ?? NaN);
};

function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-health-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return join(dir, 'compose.yaml');
}

/** Ready after about a second: the file the check looks for appears then. */
const READY_AFTER_A_SECOND = `["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep infinity"]`;

describe('envtest runs the health check itself', () => {
  it('a check with a 30 s interval makes its service ready in seconds (CMD, CMD-SHELL, the image HEALTHCHECK), dependents included', { timeout: 120_000 }, async () => {
    const id = runId('probe-fast');
    const stack = writeProject({
      'compose.yaml': `
name: slowcheck
services:
  db:
    image: envtest/base:bookworm
    command: ${READY_AFTER_A_SECOND}
    healthcheck: { test: ["CMD", "test", "-f", "/tmp/ready"], interval: 30s, timeout: 5s, retries: 3 }
  cache:
    image: envtest/base:bookworm
    command: ${READY_AFTER_A_SECOND}
    healthcheck: { test: "test -f /tmp/ready && echo ok", interval: 30s, timeout: 5s, retries: 3 }
  baked:
    build: .
    command: ${READY_AFTER_A_SECOND}
  app:
    image: envtest/base:bookworm
    command: ["sleep", "infinity"]
    x-envtest: { ready: running }
    depends_on:
      db: { condition: service_healthy }
      cache: { condition: service_healthy }
      baked: { condition: service_healthy }
`,
      // The check comes from the image alone: the engine merges it into the container's config.
      Dockerfile: 'FROM envtest/base:bookworm\nHEALTHCHECK --interval=30s --timeout=5s CMD ["test", "-f", "/tmp/ready"]\n',
    });
    // Under the engine's first check (30 s from start): without envtest's probe this times out.
    const result = await envtest(['up', '-f', stack, '--run-id', id, '--timeout', '25s']);
    try {
      expect(result.exitCode, result.all).toBe(0);
      for (const service of ['db', 'cache', 'baked']) {
        expect(result.stderr).toMatch(new RegExp(`✓ ${service} healthy \\(envtest probe\\) at`));
        const started = at(result.stderr, new RegExp(`· ${service} started at \\+([\\d.]+)(ms|s)\\b`));
        const ready = at(result.stderr, new RegExp(`✓ ${service} healthy \\(envtest probe\\) at \\+([\\d.]+)(ms|s)\\b`));
        // Functional bound only (speed is the bench's): well under the 30 s interval, and not before the check can pass.
        expect(ready - started).toBeGreaterThanOrEqual(0.9);
        expect(ready - started).toBeLessThan(15);
      }
      expect(result.stderr).toMatch(/✓ app running at/);
      expect(result.stdout).toMatch(/db\s+healthy\s+ready in [\d.]+m?s \(envtest probe\)/);
      // The engine itself has not run the check yet: envtest's probe is what decided.
      const db = await docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.service=db']);
      expect(await docker(['inspect', '--format', '{{.State.Health.Status}}', db])).toBe('starting');
    } finally {
      expect((await envtest(['down', id])).exitCode).toBe(0);
    }
    expect(await leftovers(id)).toEqual([]);
  });

  it('a quick check is run often and seen promptly; a slow one (0.5 s a run) is run far less often; and one in an image without /bin/sh still decides', { timeout: 120_000 }, async () => {
    const id = runId('probe-backoff');
    // Each check logs its own runs; the service says when it became ready, on the clock the host shares.
    const readyAfter = (s: number) => `["sh", "-c", "sleep ${s}; date +%s%N > /tmp/ready-at; touch /tmp/ready; exec sleep infinity"]`;
    const stack = writeProject({
      'compose.yaml': `
name: probebackoff
services:
  quick:
    image: envtest/base:bookworm
    command: ${readyAfter(5)}
    healthcheck: { test: "echo run >> /tmp/runs; test -f /tmp/ready", interval: 30s, timeout: 5s, retries: 3 }
  slow:
    image: envtest/base:bookworm
    command: ${readyAfter(5)}
    healthcheck: { test: "echo run >> /tmp/runs; sleep 0.5; test -f /tmp/ready", interval: 30s, timeout: 5s, retries: 3 }
  noshell:
    build: .
    entrypoint: ["node", "-e", "setTimeout(() => require('fs').writeFileSync('/tmp/ready', ''), 1000); setInterval(() => {}, 1e9)"]
    healthcheck: { test: ["CMD", "node", "-e", "process.exit(require('fs').existsSync('/tmp/ready') ? 0 : 1)"], interval: 30s, timeout: 5s, retries: 3 }
`,
      Dockerfile: 'FROM envtest/sidecar:latest\nRUN rm /bin/sh\n',
    });
    const result = await envtest(['up', '-f', stack, '--run-id', id, '--timeout', '25s']);
    try {
      expect(result.exitCode, result.all).toBe(0);
      for (const service of ['quick', 'slow', 'noshell']) expect(result.stderr).toMatch(new RegExp(`✓ ${service} healthy \\(envtest probe\\) at`));
      const container = (service: string) => docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', `label=envtest.service=${service}`]);
      const runs = async (service: string) => Number((await docker(['exec', await container(service), 'sh', '-c', 'wc -l < /tmp/runs'])).trim());
      const quick = await runs('quick');
      const slow = await runs('slow');
      // Until ready (5 s): every 50 ms while runs are quick (about 100; fewer on a busy machine); a
      // 0.5 s run waits 2 s before the next, so about 3, where a fixed cadence would have made 10.
      expect(slow).toBeGreaterThanOrEqual(2);
      expect(slow).toBeLessThanOrEqual(4);
      expect(quick).toBeGreaterThan(2 * slow); // a busy machine slows the quick runs too, and they back off
      // Seen promptly: the quick check's readiness within a fraction of the slow one's 2.5 s cadence
      // (and of the engine's 30 s interval). Both clocks are the host's.
      const readyAt = Number(await docker(['exec', await container('quick'), 'cat', '/tmp/ready-at'])) / 1e6;
      const startedMs = Date.parse(await docker(['inspect', '--format', '{{.State.StartedAt}}', await container('quick')]));
      const started = at(result.stderr, /· quick started at \+([\d.]+)(ms|s)\b/);
      const seen = at(result.stderr, /✓ quick healthy \(envtest probe\) at \+([\d.]+)(ms|s)\b/);
      const lagMs = (seen - started) * 1000 - (readyAt - startedMs);
      expect(lagMs).toBeLessThan(1_500);
      // The engine has not run the checks yet: every run counted was envtest's.
      expect(await docker(['inspect', '--format', '{{.State.Health.Status}}', await container('quick')])).toBe('starting');
    } finally {
      expect((await envtest(['down', id])).exitCode).toBe(0);
    }
    expect(await leftovers(id)).toEqual([]);
  });

  it('a check that never passes still fails the start when the engine says unhealthy: exit 3, its output shown, nothing left', { timeout: 120_000 }, async () => {
    const id = runId('probe-never');
    const stack = writeProject({
      'compose.yaml': `
name: neverhealthy
services:
  db:
    image: envtest/base:bookworm
    command: ["sleep", "infinity"]
    healthcheck: { test: ["CMD-SHELL", "echo 'probe: still refusing' >&2; exit 1"], interval: 1s, timeout: 1s, retries: 2 }
  app:
    image: envtest/base:bookworm
    command: ["sleep", "infinity"]
    depends_on: { db: { condition: service_healthy } }
`,
    });
    const result = await envtest(['up', '-f', stack, '--run-id', id, '--timeout', '60s']);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('db became unhealthy');
    expect(result.stderr).toContain('probe: still refusing');
    expect(await leftovers(id)).toEqual([]);
  });
});
