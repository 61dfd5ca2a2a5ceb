// package.json's engines.node is the real minimum: no lower than what envtest's own code calls, nor
// than any runtime dependency asks for. A dependency bump that needs a newer Node fails here.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { expect, it } from 'vitest';

const manifest = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { engines?: { node?: string }; dependencies?: Record<string, string> };
const own = manifest(new URL('../../package.json', import.meta.url).pathname);
const minimum = semver.minVersion(own.engines!.node!)!;

/** Newest Node API envtest itself calls, and the version that brought it. */
const OWN_NEEDS = { 'AbortSignal.any (orchestrator/lifecycle/start-services.ts)': '20.3.0' };

it('is no lower than the newest Node API envtest calls', () => {
  for (const [api, version] of Object.entries(OWN_NEEDS)) expect(semver.gte(minimum, version), `${api} needs ${version}`).toBe(true);
});

it('is no lower than any runtime dependency needs', () => {
  for (const name of Object.keys(own.dependencies ?? {})) {
    const range = manifest(new URL(`../../node_modules/${name}/package.json`, import.meta.url).pathname).engines?.node;
    if (!range) continue;
    expect(semver.satisfies(minimum, range), `${name} needs node ${range}`).toBe(true);
  }
});

it('is what the running Node satisfies', () => {
  expect(semver.satisfies(process.versions.node, own.engines!.node!)).toBe(true);
});
