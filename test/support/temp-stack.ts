// Stacks written by a test outside the repository, and the images they build, removed after all.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { docker } from './cli.js';

export function tempStacks(afterAll: (fn: () => Promise<void>) => void, prefix: string): { stack(files: Record<string, string>): string; images: string[] } {
  const made: string[] = [];
  const images: string[] = [];
  afterAll(async () => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
    if (images.length) await docker(['rmi', '-f', ...images]).catch(() => undefined);
  });
  /** Files (path → content) under a fresh temp folder; returns its compose.yaml. */
  const stack = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return join(dir, 'compose.yaml');
  };
  return { stack, images };
}
