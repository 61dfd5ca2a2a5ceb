// Secrets and configs of a `read_only` service. The engine copies files into a created container only
// onto something writable, and a read-only root is not (dockerd's archive code lets the copy through
// only when its destination lies in one of the container's writable mounts). So each directory that
// receives a file, unless a writable mount of the service already holds it, gets an anonymous volume
// of its own: filled from the image as any new volume is, written before the start, removed with the
// container. tmpfs would not do: the engine mounts it only at start, hiding whatever was copied before.
// Pure.
import { posix } from 'node:path';
import type { FileReference, ServiceConfig } from '../../model/project.js';

type Kind = 'secrets' | 'configs';
const KINDS: readonly Kind[] = ['secrets', 'configs'];

/** Where a reference appears in the container: relative secret targets sit under /run/secrets. */
export function targetPath(kind: Kind, ref: FileReference): string {
  return posix.resolve(kind === 'secrets' ? '/run/secrets' : '/', ref.target ?? ref.source);
}

const under = (path: string, dir: string): boolean => dir === '/' || path === dir || path.startsWith(`${dir}/`);

export interface ReadOnlyFilePlan {
  /** Directories that get an anonymous volume, outermost only. */
  volumes: string[];
  /** References whose file would land directly in `/`, where no volume can go: refused before the start. */
  atRoot: { kind: Kind; index: number; target: string }[];
}

export function readOnlyFilePlan(config: ServiceConfig): ReadOnlyFilePlan {
  const plan: ReadOnlyFilePlan = { volumes: [], atRoot: [] };
  if (config.read_only !== true) return plan;
  const writable = (config.volumes ?? []).filter((v) => (v.type === 'volume' || v.type === 'bind') && !v.read_only).map((v) => posix.normalize(v.target));
  const dirs = new Set<string>();
  for (const kind of KINDS) {
    (config[kind] ?? []).forEach((ref, index) => {
      const target = targetPath(kind, ref);
      const dir = posix.dirname(target);
      if (writable.some((m) => under(target, m) && m !== '/')) return;
      if (dir === '/') plan.atRoot.push({ kind, index, target });
      else dirs.add(dir);
    });
  }
  plan.volumes = [...dirs].filter((d) => ![...dirs].some((o) => o !== d && under(d, o))).sort();
  return plan;
}

/**
 * Where the engine extracts each file: the volume (or writable mount) holding it on a read-only
 * root, `/` otherwise. Files grouped by that directory, each with its path inside it.
 */
export function dropDirectories(config: ServiceConfig, paths: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const holders =
    config.read_only === true
      ? [...readOnlyFilePlan(config).volumes, ...(config.volumes ?? []).filter((v) => (v.type === 'volume' || v.type === 'bind') && !v.read_only).map((v) => posix.normalize(v.target))]
          // The innermost holder is the mount the file is in.
          .sort((a, b) => b.length - a.length)
      : [];
  for (const path of paths) {
    const dir = holders.find((h) => under(path, h) && path !== h) ?? '/';
    out.set(dir, [...(out.get(dir) ?? []), path]);
  }
  return out;
}
