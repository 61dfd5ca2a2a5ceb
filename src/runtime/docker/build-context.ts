// The build context packed as the docker CLI sends it (what goes in: ../context-files.ts).
import { createReadStream, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { pack, type Pack } from 'tar-stream';
import { contextEntries, INLINE_DOCKERFILE, type ContextEntry } from '../context-files.js';

export { INLINE_DOCKERFILE } from '../context-files.js';

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

function addEntry(tar: Pack, dir: string, { path, stat }: ContextEntry): Promise<void> {
  const header = { name: path, mode: stat.mode & 0o7777, mtime: stat.mtime, uid: stat.uid, gid: stat.gid };
  return new Promise<void>((resolve, reject) => {
    const done = (e?: Error | null) => (e ? reject(e) : resolve());
    if (stat.isDirectory()) tar.entry({ ...header, type: 'directory' }, done);
    else if (stat.isSymbolicLink()) tar.entry({ ...header, type: 'symlink', linkname: readlinkSync(join(dir, path)) }, done);
    else if (stat.isFile()) pipeline(createReadStream(join(dir, path)), tar.entry({ ...header, type: 'file', size: stat.size }, done), (e) => e && reject(e));
    else resolve(); // sockets, fifos: the docker CLI skips them too
  });
}
