// The CLI refuses a Node.js older than package.json's engines.node before loading anything, with a
// sentence instead of a TypeError halfway through a start.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/envtest.js', import.meta.url));
/** Runs the CLI with process.versions.node pretending to be `version`. */
const asNode = (version: string) =>
  execa('node', ['--import', `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"})`, bin, 'help'], { reject: false });

describe('the Node.js version check', () => {
  it('refuses Node 20.2 (no AbortSignal.any) with exit 2 and the version it needs', async () => {
    const result = await asNode('20.2.9');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('envtest: needs Node.js 20.3.0 or newer (package.json engines.node); this is Node.js 20.2.9. Install a newer Node.js (https://nodejs.org) and run it again.');
  });

  it('runs on 20.3.0 and on newer majors', async () => {
    for (const version of ['20.3.0', '22.1.0']) expect((await asNode(version)).exitCode, version).toBe(0);
  });
});
