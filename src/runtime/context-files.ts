// What of a folder goes into a build context, as the docker CLI sends it: .dockerignore read with
// Docker's own rules (@balena/dockerignore is a port of the engine's matcher), exceptions reaching
// into excluded folders, and the Dockerfile and .dockerignore always sent, because the engine needs
// them. Shared by the docker backend (which packs it) and the build hash (which hashes it).
import { existsSync, lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import dockerignore from '@balena/dockerignore';

// CommonJS (`module.exports = ignore`) with types written as an ES default export.
const ignore = dockerignore as unknown as typeof dockerignore.default;

/** Where an inline Dockerfile goes in the context: a name no project would use for its own file. */
export const INLINE_DOCKERFILE = '.envtest-inline.Dockerfile';

/** One entry of the context, relative to its folder, `/`-separated. */
export interface ContextEntry {
  path: string;
  stat: Stats;
}

/** Pure apart from reading the folder: what of `dir` goes into the context, in walk order. */
export function contextEntries(dir: string, dockerfile: string): ContextEntry[] {
  const patterns = readDockerignore(dir);
  // As the docker CLI does: the build files are sent even when the ignore file excludes them.
  const rules = ignore().add([...patterns, '!.dockerignore', `!${cleanPattern(dockerfile)}`]);
  const exceptions = [...patterns.filter((p) => p.startsWith('!')).map((p) => cleanPattern(p.slice(1))), cleanPattern(dockerfile)];
  const out: ContextEntry[] = [];
  const walk = (relDir: string) => {
    for (const name of readdirSync(join(dir, relDir)).sort()) {
      const path = relDir ? `${relDir}/${name}` : name;
      if (path === INLINE_DOCKERFILE) continue;
      const stat = lstatSync(join(dir, path));
      if (!rules.ignores(path)) {
        out.push({ path, stat });
        if (stat.isDirectory()) walk(path);
      } else if (stat.isDirectory() && exceptions.some((e) => `${e}/`.startsWith(`${path}/`))) {
        // An exception may re-include something below an excluded folder: walk it without sending the folder itself.
        walk(path);
      }
    }
  };
  walk('');
  return out;
}

function readDockerignore(dir: string): string[] {
  const file = join(dir, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function cleanPattern(p: string): string {
  return posix.normalize(p.trim()).replace(/^\/+/, '').replace(/\/+$/, '');
}

