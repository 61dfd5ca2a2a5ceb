// The example depends on the tarball `npm pack` makes at the repository root, whose name carries
// the version: a version bump must move the example's dependency with it.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const read = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));

it('examples/vitest depends on the tarball of this version', () => {
  const root = read('package.json') as { version: string; scripts: Record<string, string> };
  const example = read('examples/vitest/package.json') as { devDependencies: Record<string, string> };
  expect(example.devDependencies.envtest).toBe(`file:../../envtest-${root.version}.tgz`);
  // `npm pack` builds first, so a tarball never ships a stale or missing dist/.
  expect(root.scripts.prepack).toBe('npm run build');
});
