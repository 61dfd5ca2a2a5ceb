// Relative paths in a compose file are relative to the project directory, except in files brought
// in by `include` or `extends: {file}`, whose paths are relative to their own directory. Those are
// made absolute on the way in, so normalization has a single base to resolve against.
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { isPlainObject } from '../key-path.js';

/** Build contexts may be URLs (git, http); those are not paths. */
function isRemote(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('git@') || p.startsWith('github.com/');
}

export function resolvePath(base: string, p: string): string {
  if (p === '~' || p.startsWith('~/')) return resolve(homedir(), p.slice(2));
  return isAbsolute(p) ? p : resolve(base, p);
}

export function resolveServicePaths(service: Record<string, unknown>, base: string): Record<string, unknown> {
  const s = { ...service };
  if (isPlainObject(s.build)) {
    const context = typeof s.build.context === 'string' ? s.build.context : '.';
    s.build = { ...s.build, context: isRemote(context) ? context : resolvePath(base, context) };
  }
  if (Array.isArray(s.env_file)) {
    s.env_file = s.env_file.map((e: { path: string }) => ({ ...e, path: resolvePath(base, e.path) }));
  }
  if (Array.isArray(s.label_file)) s.label_file = s.label_file.map((f: string) => resolvePath(base, f));
  if (Array.isArray(s.volumes)) {
    s.volumes = s.volumes.map((v: { type: string; source?: string }) =>
      v.type === 'bind' && v.source !== undefined ? { ...v, source: resolvePath(base, v.source) } : v,
    );
  }
  return s;
}

/** Secrets and configs with `file:` point at files relative to the file that declares them. */
export function resolveFileResources(section: unknown, base: string): unknown {
  if (!isPlainObject(section)) return section;
  return Object.fromEntries(
    Object.entries(section).map(([name, def]) => [
      name,
      isPlainObject(def) && typeof def.file === 'string' ? { ...def, file: resolvePath(base, def.file) } : def,
    ]),
  );
}

/** All relative paths of a file's data made absolute against `base`. */
export function resolveFilePaths(data: Record<string, unknown>, base: string): Record<string, unknown> {
  const out = { ...data };
  if (isPlainObject(out.services)) {
    out.services = Object.fromEntries(
      Object.entries(out.services).map(([n, s]) => [n, resolveServicePaths(s as Record<string, unknown>, base)]),
    );
  }
  out.secrets = resolveFileResources(out.secrets, base);
  out.configs = resolveFileResources(out.configs, base);
  if (out.secrets === undefined) delete out.secrets;
  if (out.configs === undefined) delete out.configs;
  return out;
}
