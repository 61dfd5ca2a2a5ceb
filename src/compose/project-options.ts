// Which files, directory, name and profiles make up the project, from flags, environment and the
// file system, following the docker compose CLI's rules.
import { basename, dirname, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../errors.js';
import { lookupIn, type Env } from './environment.js';
import { interpolate, InterpolationError } from './interpolate.js';

export const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export interface FileSystem {
  read: (path: string) => Promise<string | undefined>;
  exists: (path: string) => Promise<boolean>;
}

export async function composeFiles(
  fs: FileSystem,
  cwd: string,
  files: string[] | undefined,
  projectDirectory: string | undefined,
  env: Env,
): Promise<string[]> {
  // COMPOSE_FILE stands in for -f when no flag is given, as in the compose CLI.
  const given = files?.length ? files : env.COMPOSE_FILE ? env.COMPOSE_FILE.split(env.COMPOSE_PATH_SEPARATOR ?? ':').filter(Boolean) : undefined;
  if (given) {
    const abs = given.map((f) => resolve(cwd, f));
    for (const f of abs) if (!(await fs.exists(f))) throw new UsageError(`compose file ${f} not found`);
    return abs;
  }
  const dir = resolve(cwd, projectDirectory ?? '.');
  for (const name of DEFAULT_FILES) {
    const f = resolve(dir, name);
    if (!(await fs.exists(f))) continue;
    // Like compose, the default file brings its `.override` sibling when there is one.
    const override = f.replace(/\.ya?ml$/, (ext) => `.override${ext}`);
    return (await fs.exists(override)) ? [f, override] : [f];
  }
  throw new UsageError(`no compose file found in ${dir}: looked for ${DEFAULT_FILES.join(', ')}; name one with -f`);
}

export function projectDir(cwd: string, projectDirectory: string | undefined, files: string[]): string {
  return projectDirectory ? resolve(cwd, projectDirectory) : dirname(files[0]!);
}

/** Compose's rule for derived names: lowercase, only [a-z0-9_-], starting with a letter or digit. */
export function normalizeProjectName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

const VALID_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * -p, then COMPOSE_PROJECT_NAME, then the top-level `name:`, then the directory name: the docker
 * compose precedence, so envtest and compose agree on container and network names.
 */
export function projectName(flag: string | undefined, env: Env, fileName: string | undefined, dir: string): string {
  if (flag !== undefined) {
    if (!VALID_NAME.test(flag)) throw new UsageError(`invalid project name "${flag}": use lowercase letters, digits, "_" and "-", starting with a letter or digit`);
    return flag;
  }
  const fromEnv = env.COMPOSE_PROJECT_NAME;
  if (fromEnv) {
    if (!VALID_NAME.test(fromEnv)) throw new UsageError(`invalid COMPOSE_PROJECT_NAME "${fromEnv}": use lowercase letters, digits, "_" and "-", starting with a letter or digit`);
    return fromEnv;
  }
  // compose-go lowercases a `name:` and drops what a project name cannot hold rather than refusing it.
  const fromFile = fileName === undefined ? '' : normalizeProjectName(fileName);
  if (fromFile) return fromFile;
  const derived = normalizeProjectName(basename(dir));
  if (!derived) throw new UsageError(`cannot derive a project name from directory "${basename(dir)}"; pass one with -p`);
  return derived;
}

/**
 * The last `name:` of the files (every document), interpolated: read before the files are loaded,
 * because interpolation offers the project name as COMPOSE_PROJECT_NAME. Unreadable files are
 * left to the loader, which reports them properly.
 */
export async function nameInFiles(fs: FileSystem, files: string[], env: Env): Promise<string | undefined> {
  let name: string | undefined;
  for (const file of files) {
    const text = await fs.read(file);
    if (text === undefined) continue;
    for (const doc of parseAllDocuments(text)) {
      if (!('errors' in doc) || doc.errors.length) continue;
      const value = (doc.toJS() as { name?: unknown } | null)?.name;
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      try {
        name = interpolate(String(value), lookupIn(env)) || name;
      } catch (e) {
        if (!(e instanceof InterpolationError)) throw e;
      }
    }
  }
  return name;
}

export function activeProfiles(flags: string[] | undefined, env: Env): string[] {
  const fromEnv = (env.COMPOSE_PROFILES ?? '').split(',').map((p) => p.trim());
  return [...new Set([...(flags ?? []), ...fromEnv].filter(Boolean))];
}
