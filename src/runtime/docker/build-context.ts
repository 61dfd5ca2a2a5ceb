// The build context as the docker CLI sends it: .dockerignore read with Docker's own rules
// (@balena/dockerignore is a port of the engine's matcher), exceptions reaching into excluded
// folders, and the Dockerfile and .dockerignore always sent, because the engine needs them.
import { createReadStream, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import { pack, type Pack } from 'tar-stream';

// CommonJS (`module.exports = ignore`) with types written as an ES default export.
const ignore = dockerignore as unknown as typeof dockerignore.default;

/** Where an inline Dockerfile goes in the context: a name no project would use for its own file. */
export const INLINE_DOCKERFILE = '.envtest-inline.Dockerfile';

/** One entry of the context, relative to its folder, `/`-separated. */
interface Entry {
  path: string;
  stat: Stats;
}

export function packContext(dir: string, opts: { dockerfile?: string; inlineDockerfile?: string } = {}): Readable {
  const entries = contextEntries(dir, opts.dockerfile ?? 'Dockerfile');
  const tar = pack();
  void (async () => {
    for (const entry of entries) await addEntry(tar, dir, entry);
    if (opts.inlineDockerfile !== undefined) await new Promise((done) => tar.entry({ name: INLINE_DOCKERFILE, mode: 0o644 }, opts.inlineDockerfile!, done));
    tar.finalize();
  })().catch((e: unknown) => tar.destroy(e as Error));
  return tar as unknown as Readable;
}

/** Pure apart from reading the folder: what of `dir` goes into the context, in walk order. */
export function contextEntries(dir: string, dockerfile: string): Entry[] {
  const patterns = readDockerignore(dir);
  // As the docker CLI does: the build files are sent even when the ignore file excludes them.
  const rules = ignore().add([...patterns, '!.dockerignore', `!${cleanPattern(dockerfile)}`]);
  const exceptions = [...patterns.filter((p) => p.startsWith('!')).map((p) => cleanPattern(p.slice(1))), cleanPattern(dockerfile)];
  const out: Entry[] = [];
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

function addEntry(tar: Pack, dir: string, { path, stat }: Entry): Promise<void> {
  const header = { name: path, mode: stat.mode & 0o7777, mtime: stat.mtime, uid: stat.uid, gid: stat.gid };
  return new Promise<void>((resolve, reject) => {
    const done = (e?: Error | null) => (e ? reject(e) : resolve());
    if (stat.isDirectory()) tar.entry({ ...header, type: 'directory' }, done);
    else if (stat.isSymbolicLink()) tar.entry({ ...header, type: 'symlink', linkname: readlinkSync(join(dir, path)) }, done);
    else if (stat.isFile()) pipeline(createReadStream(join(dir, path)), tar.entry({ ...header, type: 'file', size: stat.size }, done), (e) => e && reject(e));
    else resolve(); // sockets, fifos: the docker CLI skips them too
  });
}
