// The CLI as installed loads its bundle with V8's code cache (src/launch/code-cache.ts): the first
// invocation of a command leaves a cache in the user's temporary directory, the next ones use it,
// and what they print does not change. ENVTEST_CODE_CACHE=off leaves nothing.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { envtest, fixture, repoRoot } from '../support/cli.js';

const cacheDirIn = (tmp: string) => join(tmp, `envtest-code-cache-${process.getuid?.() ?? 'user'}`);

describe('the CLI code cache', () => {
  it('is written by the first invocation of a command, only for its user, and changes nothing that is printed', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'envtest-cli-tmp-'));
    const args = ['plan', '-f', fixture('stack-conditions.yaml')];
    const first = await envtest(args, { env: { TMPDIR: tmp } });
    expect(first.exitCode).toBe(0);
    const dir = cacheDirIn(tmp);
    const files = readdirSync(dir);
    expect(files).toEqual([expect.stringMatching(/^plan-.+\.bin$/)]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const written = statSync(join(dir, files[0]!)).mtimeMs;
    const second = await envtest(args, { env: { TMPDIR: tmp } });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    // Taken, not written again.
    expect(statSync(join(dir, files[0]!)).mtimeMs).toBe(written);
    // Another command keeps its own.
    expect((await envtest(['config', '-f', fixture('stack-conditions.yaml'), '--services'], { env: { TMPDIR: tmp } })).exitCode).toBe(0);
    expect(readdirSync(dir).map((f) => f.split('-')[0]).sort()).toEqual(['config', 'plan']);
  });

  it('never holds the command up where the temporary directory is unusable', async () => {
    // A recursive mkdir under /proc/self never returns on Node 20: the CLI would hang as it exits.
    for (const TMPDIR of ['/proc/self', '/nonexistent/envtest-tmp', '/dev/null']) {
      const result = await envtest(['plan', '-f', fixture('stack-conditions.yaml')], { env: { TMPDIR } });
      expect(result.exitCode, TMPDIR).toBe(0);
    }
  }, 20_000);

  it('is written only by a command that ran to its end, and not at all where Node maps stack traces', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'envtest-cli-tmp-'));
    // Refused input (exit 2) compiled little of what the command runs.
    const refused = await envtest(['run', '-f', fixture('stack-conditions.yaml')], { env: { TMPDIR: tmp } });
    expect(refused.exitCode).toBe(2);
    expect(readdirSync(tmp)).toEqual([]);
    // --enable-source-maps maps only what Node's own loader compiled: the bundle is required as it is.
    const mapped = await execa('node', ['--enable-source-maps', '--', join(repoRoot, 'bin/envtest.js'), 'plan', '-f', fixture('stack-conditions.yaml')], { env: { TMPDIR: tmp }, reject: false });
    expect(mapped.exitCode).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('is neither read nor written with ENVTEST_CODE_CACHE=off', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'envtest-cli-tmp-'));
    const result = await envtest(['plan', '-f', fixture('stack-conditions.yaml')], { env: { TMPDIR: tmp, ENVTEST_CODE_CACHE: 'off' } });
    expect(result.exitCode).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
