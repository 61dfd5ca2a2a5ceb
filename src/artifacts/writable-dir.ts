// Checked before a run starts: artifacts that cannot be written would otherwise fail only at the
// end, after the whole run, as an internal error. The probe creates no directory of its own
// (recursive mkdir can spin on read-only and pseudo file systems): it finds the nearest existing
// ancestor and writes a throwaway directory there.
import { mkdtemp, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** Why `dir` cannot hold artifacts, or undefined when it can (it may not exist yet). */
export async function unwritableDirProblem(dir: string): Promise<string | undefined> {
  let path = resolve(dir);
  for (;;) {
    const info = await stat(path).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' || e.code === 'ENOTDIR' ? undefined : e));
    if (info instanceof Error) return `cannot be read (${info.code ?? info.message})`;
    if (info) {
      if (!info.isDirectory()) return path === resolve(dir) ? 'is a file, not a directory' : `cannot be created: ${path} is a file`;
      break;
    }
    const parent = dirname(path);
    if (parent === path) break;
    path = parent;
  }
  try {
    await rmdir(await mkdtemp(join(path, '.envtest-probe-')));
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `cannot be written (${code === 'EROFS' ? 'read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(e))} at ${path})`;
  }
}
