// The self-contained scripts envtest copies into its jobs (the check runner, the reaper).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../../errors.js';

/** dist/<name> next to the bundled CLI, or in dist/ when running from source. */
export function readBundle(name: 'sidecar-runner.cjs' | 'reaper.cjs'): Buffer {
  for (const rel of [`./${name}`, `../../../dist/${name}`]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return readFileSync(path);
  }
  throw new EnvironmentError(`the bundle dist/${name} is missing: run \`npm run build\``);
}
