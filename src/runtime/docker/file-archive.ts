// Files travel into a container as tar archives put through the engine API: one per directory
// they are extracted in (`/`, or on a read-only root the writable mount that holds them, since the
// engine copies only onto something writable).
import { posix } from 'node:path';
import { pack } from 'tar-stream';
import type { FileCopy } from '../backend.js';

export async function filesArchives(files: FileCopy[]): Promise<{ dir: string; archive: Buffer }[]> {
  const byDir = new Map<string, FileCopy[]>();
  for (const f of files) {
    const dir = f.within ?? '/';
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  return Promise.all([...byDir].map(async ([dir, group]) => ({ dir, archive: await archive(dir, group) })));
}

async function archive(dir: string, files: FileCopy[]): Promise<Buffer> {
  const tar = pack();
  for (const f of files) tar.entry({ name: posix.relative(dir, f.path), mode: f.mode ?? 0o644, uid: f.uid ?? 0, gid: f.gid ?? 0 }, f.content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
