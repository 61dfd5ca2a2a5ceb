// Files travel into a container as one tar archive put at `/`: the engine writes its entries in
// order, so a marker file placed after the file it marks is never seen before it.
import { pack } from 'tar-stream';
import type { FileCopy } from '../backend.js';

export async function filesArchive(files: FileCopy[]): Promise<Buffer> {
  const tar = pack();
  for (const f of files) tar.entry({ name: f.path.replace(/^\/+/, ''), mode: f.mode ?? 0o644, uid: f.uid ?? 0, gid: f.gid ?? 0 }, f.content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
