import type { Readable } from 'node:stream';
import { pack } from 'tar-fs';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The build context as a tar stream, honouring a simple .dockerignore (one pattern a line, `*`
 * wildcards, `!` ignored) so large folders such as node_modules stay out of the upload.
 */
export function packContext(dir: string): Readable {
  const patterns = readDockerignore(dir);
  return pack(dir, { ignore: (name) => patterns.some((p) => p.test(name.slice(dir.length + 1))) }) as unknown as Readable;
}

function readDockerignore(dir: string): RegExp[] {
  const file = join(dir, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
    .map((l) => l.replace(/^\.?\//, '').replace(/\/$/, ''))
    .map((l) => new RegExp(`^${l.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '.*').replace(/\*/g, '[^/]*')}(/.*)?$`));
}
