// Readiness by listening ports on a real engine: a service without a health check is ready when
// its declared TCP ports listen (not after a fixed second), a port that never opens fails the
// start naming it unless the service opts out, and a crash at start is still blamed at start.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';
import { writeStack } from '../support/ports-stack.js';

const runId = runIdsRemovedAfterAll(afterAll);
/** Seconds since the start, from a progress line: under a second it reads `+950ms`, past it `+4.4s`. */
const at = (output: string, line: RegExp) => {
  const [, value, unit] = line.exec(output) ?? [];
  return unit === 'ms' ? Number(value) / 1000 : Number(value ?? NaN);
};

describe('readiness by listening ports', () => {
  it('a service is ready once its declared port listens, however long that takes', async () => {
    const id = runId('ready-ports');
    const stack = writeStack(`
name: slowport
services:
  slow:
    image: envtest/base:bookworm
    command: ["sh", "-c", "sleep 3; exec node -e \\"require('net').createServer((c) => c.end('hello')).listen(7000)\\""]
    expose: ["7000"]
`);
    // No retries: the port must be open the moment \`up\` says the stack is ready.
    const suite = join(dirname(stack), 'suite.yaml');
    writeFileSync(suite, 'name: at once\ndefaults: { retry: { for: 0s } }\nchecks:\n  - { name: slow answers, target: "slow:7000", tcp: {}, expect: { receive: hello } }\n');
    const since = String(Math.floor(Date.now() / 1000) - 1);
    const upped = await envtest(['up', '-f', stack, '--run-id', id]);
    expect(upped.exitCode, upped.all).toBe(0);
    const started = at(upped.stderr, /· slow started at \+([\d.]+)(ms|s)\b/);
    const ready = at(upped.stderr, /✓ slow listening at \+([\d.]+)(ms|s)\b/);
    expect(ready - started).toBeGreaterThanOrEqual(3);
    // This engine is local: the port was read from the host's /proc, and no helper container was made.
    const helpersMade = await docker([
      'events', '--since', since, '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', 'type=container', '--filter', 'event=create',
      '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=helper', '--format', '{{.Actor.Attributes.name}}',
    ]);
    expect(helpersMade).toBe('');
    const checked = await envtest(['run', '--attach', id, '--checks', suite, '--artifacts', join(dirname(stack), 'runs')]);
    expect(checked.exitCode, checked.all).toBe(0);
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('a declared port that never opens: ready anyway after 30 s, saying so; a shorter --timeout fails naming it; x-envtest opts out', { timeout: 180_000 }, async () => {
    const idle = (ext: string) =>
      writeStack(`
name: idleport
services:
  idle:
    image: envtest/base:bookworm
    command: ["sleep", "infinity"]
    expose: ["9999"]${ext}
`);
    const failed = runId('ready-silent');
    const result = await envtest(['up', '-f', idle(''), '--run-id', failed, '--timeout', '6s']);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('idle not listening on declared port 9999/tcp after 6s (state running)');
    expect(await leftovers(failed)).toEqual([]);

    const patient = runId('ready-patience');
    const waited = await envtest(['up', '-f', idle(''), '--run-id', patient]);
    expect(waited.exitCode, waited.all).toBe(0);
    expect(waited.stderr).toMatch(/! idle at \+[\d.]+s: declared port 9999\/tcp not listening after 30s; going on/);
    expect(waited.stderr).toMatch(/✓ idle running at/);
    expect((await envtest(['down', patient])).exitCode).toBe(0);

    const optedOut = runId('ready-optout');
    const ok = await envtest(['up', '-f', idle('\n    x-envtest: { ready: running }'), '--run-id', optedOut, '--timeout', '6s']);
    expect(ok.exitCode, ok.all).toBe(0);
    expect(ok.stderr).toMatch(/✓ idle running at/);
    expect(ok.stderr).not.toContain('not listening');
    expect((await envtest(['down', optedOut])).exitCode).toBe(0);
  });

  it('a service with a declared port that dies at start is blamed at start, not timed out', async () => {
    const id = runId('ready-crash');
    const stack = writeStack(`
name: crashport
services:
  api:
    image: envtest/base:bookworm
    command: ["sh", "-c", "echo 'fatal: DATABASE_URL is not a valid URL'; exit 3"]
    expose: ["8080"]
`);
    const result = await envtest(['up', '-f', stack, '--run-id', id, '--timeout', '60s']);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('service api exited with code 3');
    expect(result.stderr).toContain('fatal: DATABASE_URL is not a valid URL');
    expect(await leftovers(id)).toEqual([]);
  });

  it('an x-envtest the tool does not know is refused before anything starts', async () => {
    const stack = writeStack('name: badext\nservices:\n  a:\n    image: envtest/base:bookworm\n    x-envtest: { ready: listening }\n');
    const result = await envtest(['up', '-f', stack], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('services.a.x-envtest.ready: must be "running"');
  });
});
