// examples/vitest as its README runs it: a project of its own that installs the packed tarball and
// runs vitest against the repository's example stack. It is copied to a temporary directory first,
// so no node_modules land in the working tree.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { npmInstall, packTarball } from '../support/packed.js';

const dir = mkdtempSync(join(tmpdir(), 'envtest-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/vitest', () => {
  it('type-checks and passes its shop test against the packed tarball', async () => {
    const example = join(dir, 'vitest');
    cpSync(join(repoRoot, 'examples', 'vitest'), example, { recursive: true, filter: (src) => !src.includes('node_modules') });
    const { tarball } = await packTarball(dir);
    const manifest = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    manifest.devDependencies.envtest = `file:${tarball}`;
    writeFileSync(join(example, 'package.json'), JSON.stringify(manifest, null, 2));
    await npmInstall(example);

    const tsc = await execa('npx', ['tsc', '-p', '.'], { cwd: example, reject: false, all: true });
    expect(tsc.exitCode, tsc.all).toBe(0);
    const result = await execa('npm', ['test'], { cwd: example, reject: false, all: true, env: { SHOP_STACK: join(repoRoot, 'compose') } });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/1 passed/);
  }, 600_000);
});
