// envtest runs a service's health check itself (docs/performance.md, README "Readiness"): on a real
// engine, a check with a 30 s interval that passes after about a second makes its service ready,
// and lets its `service_healthy` dependent start, long before the engine's first run of the check.
// A check that never passes still fails the start as the engine decides it (exit 3).
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
