// A --sidecar-image without node is refused before any service starts (exit 2, a sentence), not
// found out after the whole stack came up as an "internal error".
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, fixture, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const runId = runIdsRemovedAfterAll(afterAll);
const image = `envtest-test/no-node:${process.pid}`;

afterAll(async () => {
  await execa('docker', ['rmi', '-f', image], { reject: false });
});

describe('a sidecar image without node', () => {
  it('is refused before the stack starts, naming the image, and nothing is left', async () => {
    // An image with one file and no node: imported from a tarball, as no registry is reachable.
    const dir = mkdtempSync(join(tmpdir(), 'envtest-nonode-'));
    writeFileSync(join(dir, 'hello.txt'), 'no node here\n');
    await execa('sh', ['-c', `tar -C ${dir} -c hello.txt | docker import - ${image}`]);

    const id = runId('nonode');
    const result = await envtest(['run', '-f', fixture('stack-tiny.yaml'), '--checks', fixture('suite-tiny-passing.yaml'), '--run-id', id, '--sidecar-image', image, '--artifacts', join(dir, 'runs')]);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain(`sidecar image ${image} cannot run envtest's checks: it has no \`node\` on its PATH`);
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).not.toContain('started at');
    expect(await leftovers(id)).toEqual([]);
    expect(await docker(['ps', '-aq', '--filter', `ancestor=${image}`])).toBe('');
  });
});
