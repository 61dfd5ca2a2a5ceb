import type { Readable } from 'node:stream';
import { pack } from 'tar-fs';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where an inline Dockerfile goes in the context: a name no project would use for its own file. */
export const INLINE_DOCKERFILE = '.envtest-inline.Dockerfile';

/**
 * The build context as a tar stream, honouring a simple .dockerignore (one pattern a line, `*`
 * wildcards, `!` ignored) so large folders such as node_modules stay out of the upload. An inline
 * Dockerfile (compose's `dockerfile_inline`) is added as INLINE_DOCKERFILE.
 */
export function packContext(dir: string, inlineDockerfile?: string): Readable {
  const patterns = readDockerignore(dir);
  const inline = inlineDockerfile === undefined ? {} : {
    finalize: false,
    finish: (tar: { entry(header: { name: string; mode: number }, content: string): void; finalize(): void }) => {
      tar.entry({ name: INLINE_DOCKERFILE, mode: 0o644 }, inlineDockerfile);
      tar.finalize();
    },
  };
  return pack(dir, {
    ignore: (name) => name.slice(dir.length + 1) === INLINE_DOCKERFILE || patterns.some((p) => p.test(name.slice(dir.length + 1))),
    ...inline,
  } as Parameters<typeof pack>[1]) as unknown as Readable;
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
