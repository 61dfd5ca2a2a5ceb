// The self-contained scripts envtest copies into containers (the check runner, the reaper), and
// the tar archive that carries them, and services' secrets and configs, through the engine API.
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

/** A file with its own mode and owner; a bare string or Buffer is root's, mode 0644. */
export interface TarFile {
  content: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
}

/** Names are paths relative to the directory the archive is put into; parents are created. */
export async function tarArchive(files: Record<string, string | Buffer | TarFile>): Promise<Buffer> {
  const tar = pack();
  for (const [name, file] of Object.entries(files)) {
    const f: TarFile = typeof file === 'string' || Buffer.isBuffer(file) ? { content: file } : file;
    tar.entry({ name, mode: f.mode ?? 0o644, uid: f.uid ?? 0, gid: f.gid ?? 0 }, f.content);
  }
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
