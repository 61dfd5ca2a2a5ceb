// The library's env.check() judges snapshots as `envtest run` does (missing fails in CI, recorded
// otherwise, a changed shape fails, update accepts), takes the port inventory with `ports`, and
// attach() checks a run it does not own without ever removing it. Real engine, through src/library.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attach, loadSuite, up, UsageError } from '../../src/index.js';
import { leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const runId = runIdsRemovedAfterAll(afterAll);
const dir = mkdtempSync(join(tmpdir(), 'envtest-libsnap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const compose = join(dir, 'compose.yaml');
writeFileSync(
  compose,
  JSON.stringify({
    name: 'libsnap',
    services: {
      cache: {
        image: 'envtest/base:bookworm',
        command: ['redis-server', '--bind', '0.0.0.0', '--protected-mode', 'no', '--save', ''],
        healthcheck: { test: ['CMD', 'redis-cli', 'ping'], interval: '1s', timeout: '3s', retries: 60 },
      },
    },
  }),
);
const suiteFile = join(dir, 'cache.yaml');
writeFileSync(suiteFile, ['name: cache', 'checks:', '  - name: cache answers', '    target: cache:6379', '    redis: { command: [PING] }', '    snapshot: true', ''].join('\n'));
const snapFile = join(dir, '__snapshots__', 'cache.snap.yaml');

describe('env.check() and snapshots', () => {
  it('fails a missing snapshot in CI, records it otherwise, fails a changed one, accepts with update', async () => {
    const id = runId('libsnap');
    {
      await using env = await up({ files: [compose], runId: id });
      const suite = await loadSuite(suiteFile);

      const inCI = await env.check(suite, { snapshots: { ci: true } });
      expect(inCI.status).toBe('failed');
      expect(inCI.checks[0]!.snapshot?.status).toBe('missing');
      expect(() => readFileSync(snapFile)).toThrow();

      const recorded = await env.check(suite, { snapshots: { ci: false } });
      expect(recorded.status).toBe('passed');
      expect(recorded.checks[0]!.snapshot?.status).toBe('recorded');
      const text = readFileSync(snapFile, 'utf8');
      expect(text).toContain('cache answers:\n');
      expect(text).toContain('reply: string\n');

      writeFileSync(snapFile, text.replace('reply: string', 'reply: number'));
      const changed = await env.check(suite, { snapshots: { ci: false } });
      expect(changed.status).toBe('failed');
      expect(changed.checks[0]!.snapshot?.status).toBe('changed');
      expect(changed.checks[0]!.snapshot?.changes?.join('\n')).toContain('reply');

      const updated = await env.check(suite, { snapshots: { update: true } });
      expect(updated.status).toBe('passed');
      expect(updated.checks[0]!.snapshot?.status).toBe('updated');
      expect(readFileSync(snapFile, 'utf8')).toContain('reply: string\n');

      // The port inventory's findings come as checks of the suite "ports".
      const withPorts = await env.check(suite, { ports: true });
      expect(withPorts.checks.filter((c) => c.suite === 'ports').map((c) => c.target)).toContain('cache:6379');

      // attach(): the same run, checked without owning it; leaving its block leaves the run up.
      {
        await using attached = await attach(id);
        expect(attached.runId).toBe(id);
        expect((await attached.check(suite)).status).toBe('passed');
        await expect(attached.down()).rejects.toBeInstanceOf(UsageError);
      }
      expect(await leftovers(id)).not.toEqual([]);
    }
    expect(await leftovers(id)).toEqual([]);
  });

  it('attach() to a run id that is not up is a UsageError', async () => {
    await expect(attach(runId('nothing-here'))).rejects.toThrow(/no environment with run id .* is up/);
  });
});
