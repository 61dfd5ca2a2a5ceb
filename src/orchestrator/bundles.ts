// The self-contained scripts envtest copies into containers (the check runner, the reaper), and
// the tar archive that carries them through the engine API.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pack } from 'tar-stream';
import { EnvironmentError } from '../errors.js';

/** dist/<name> next to the bundled CLI, or in dist/ when running from source. */
export function readBundle(name: 'sidecar-runner.cjs' | 'reaper.cjs'): Buffer {
  for (const rel of [`./${name}`, `../../dist/${name}`]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return readFileSync(path);
  }
  throw new EnvironmentError(`the bundle dist/${name} is missing: run \`npm run build\``);
}

export async function tarArchive(files: Record<string, string | Buffer>): Promise<Buffer> {
  const tar = pack();
  for (const [name, content] of Object.entries(files)) tar.entry({ name, mode: 0o644 }, content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
