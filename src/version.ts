// envtest's own version, from its package.json: next to dist/ when bundled, two levels up from src/.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function envtestVersion(): string {
  if (cached) return cached;
  for (const rel of ['../package.json', '../../package.json']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (!existsSync(path)) continue;
    const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'envtest' && pkg.version) return (cached = pkg.version);
  }
  return (cached = 'unknown');
}
