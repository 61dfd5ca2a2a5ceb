// Which files, directory, name and profiles make up the project, from flags, environment and the
// file system, following the docker compose CLI's rules.
import { basename, dirname, resolve } from 'node:path';
import { parseYaml, yamlData } from '../../yaml/read.js';
import { UsageError } from '../../errors.js';
import { lookupIn, type Env } from './environment.js';
import { interpolate, InterpolationError } from './interpolate.js';

export const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export interface FileSystem {
  read: (path: string) => Promise<string | undefined>;
  /** Something that can be read as a file (a regular file, a pipe, a device): not a directory. */
  exists: (path: string) => Promise<boolean>;
  /** Lets messages say "is a directory" rather than "not found". */
  isDirectory?: (path: string) => Promise<boolean>;
  /** What `-f -` reads, as the compose CLI does. */
  stdin?: () => Promise<string>;
}

/** The path `-f -` stands for: in the working directory, so relative paths in it resolve from there. */
export const stdinPath = (cwd: string): string => resolve(cwd, '-');

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
    for (const [i, f] of abs.entries()) {
      if (given[i] === '-' || (await fs.exists(f))) continue;
      if (await fs.isDirectory?.(f)) throw new UsageError(`compose file ${f} is a directory; -f takes a file (or - for stdin), --project-directory takes a directory`);
      throw new UsageError(`compose file ${f} not found`);
    }
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

/** `--project-directory` must name a directory: a missing one or a file would silently move every relative path. */
export async function checkProjectDirectory(fs: FileSystem, cwd: string, projectDirectory: string | undefined): Promise<void> {
  if (projectDirectory === undefined || !fs.isDirectory) return;
  const dir = resolve(cwd, projectDirectory);
  if (await fs.isDirectory(dir)) return;
  if (await fs.exists(dir)) throw new UsageError(`--project-directory ${dir} is a file; it takes the directory the project's relative paths start from`);
  throw new UsageError(`--project-directory ${dir} does not exist`);
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
    // Read with the loader's bounds: a hostile file must not hang or crash this early peek.
    const parsed = parseYaml(text, file, 'compose file', 'many');
    for (const doc of parsed.ok ? parsed.value.docs : []) {
      const data = yamlData(doc, file);
      const value = data.ok ? (data.value as { name?: unknown } | null)?.name : undefined;
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
