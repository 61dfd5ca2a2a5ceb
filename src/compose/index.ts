// The compose loader's public API. loadProject does the file I/O; everything it calls is pure
// apart from the `read`/`exists` functions handed down, so tests can load from memory.
import { open, stat } from 'node:fs/promises';
import { relative, resolve, isAbsolute } from 'node:path';
import { UsageError, ValidationError, type Problem } from '../errors.js';
import type { ComposeProject, LoadedProject } from '../model/project.js';
import { completeDependencies } from './normalize/dependencies.js';
import { parseEnvFile, parseRawEnvFile } from './load/env-file.js';
import { layered, lookupIn, readEnvFiles, type Env } from './load/environment.js';
import { loadComposeFile, type LoadContext } from './load/file-loader.js';
import { locate } from './load/locate.js';
import { mergeFiles } from './load/merge.js';
import { normalizeProject } from './normalize/normalize.js';
import { allProfiles, selectServices } from './load/profiles.js';
import { MAX_YAML_BYTES } from '../yaml/read.js';
import { activeProfiles, checkProjectDirectory, composeFiles, nameInFiles, projectDir, projectName, stdinPath, type FileSystem } from './load/project-options.js';

export interface LoadOptions {
  files?: string[];
  projectDirectory?: string;
  projectName?: string;
  envFiles?: string[];
  profiles?: string[];
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Where the project will run (`--backend`): the Swarm backend honours placement, so it is not warned about. Default docker. */
  backend?: 'docker' | 'swarm';
}

export type { FileSystem } from './load/project-options.js';

export const nodeFileSystem: FileSystem = {
  read: async (path) => {
    try {
      return await readBounded(path, MAX_YAML_BYTES + 1);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw e;
    }
  },
  exists: async (path) => {
    try {
      return !(await stat(path)).isDirectory();
    } catch {
      return false;
    }
  },
  isDirectory: async (path) => {
    try {
      return (await stat(path)).isDirectory();
    } catch {
      return false;
    }
  },
  stdin: () => streamBounded(process.stdin, MAX_YAML_BYTES + 1),
};

async function streamBounded(stream: AsyncIterable<Buffer | string>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.from(chunk);
    chunks.push(buffer);
    size += buffer.length;
    if (size >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** At most `limit` bytes: enough for the size check to refuse a huge file, never /dev/zero in memory. */
async function readBounded(path: string, limit: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    while (size < limit) {
      const { bytesRead, buffer } = await handle.read({ buffer: Buffer.alloc(Math.min(1 << 20, limit - size)) });
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}

export async function loadProject(opts: LoadOptions): Promise<LoadedProject> {
  return loadProjectWith(nodeFileSystem, opts);
}

const SUBJECT = 'compose project';

export async function loadProjectWith(given: FileSystem, opts: LoadOptions): Promise<LoadedProject> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  await checkProjectDirectory(given, cwd, opts.projectDirectory);
  const fs = await withStdin(given, cwd, opts.files);
  const processEnv: Env = opts.env ?? process.env;
  const display = (p: string) => {
    const rel = relative(cwd, p);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
  };
  const problems: Problem[] = [];
  const warnings: Problem[] = [];

  const envFilesIn = async (dir: string) =>
    opts.envFiles?.length ? opts.envFiles.map((f) => resolve(cwd, f)) : (await fs.exists(resolve(dir, '.env'))) ? [resolve(dir, '.env')] : [];
  const readVars = async (paths: string[]) =>
    layered(processEnv, await readEnvFiles(fs.read, paths.map((p) => ({ path: p, display: display(p) })), processEnv, problems));
  // Without -f, the `.env` of the project directory may name the files (COMPOSE_FILE), as in the compose CLI.
  const early = opts.files?.length || processEnv.COMPOSE_FILE ? processEnv : await readVars(await envFilesIn(resolve(cwd, opts.projectDirectory ?? '.')));
  problems.length = 0;
  const files = await composeFiles(fs, cwd, opts.files, opts.projectDirectory, early);
  const workingDir = projectDir(cwd, opts.projectDirectory, files);
  const fileEnv = await readVars(await envFilesIn(workingDir));
  if (problems.length) throw new ValidationError(problems, SUBJECT);
  // The name is settled before interpolation, which may use it as COMPOSE_PROJECT_NAME.
  const name = projectName(opts.projectName, fileEnv, await nameInFiles(fs, files, fileEnv), workingDir);
  const env: Env = { ...fileEnv, COMPOSE_PROJECT_NAME: name };

  const ctx: LoadContext = { ...fs, display, problems, warnings, docs: [], cache: new Map(), unsetWarned: new Set() };
  let merged: Record<string, unknown> = {};
  for (const file of files) {
    const loaded = await loadComposeFile(ctx, file, env, workingDir);
    if (loaded) merged = mergeFiles(merged, loaded.data, loaded.tags);
  }
  // Problems so far do not stop the project-level checks below (the files' invalid entries were
  // replaced by stubs): every problem is reported in one pass.
  const earlier = problems.length;

  const profiles = activeProfiles(opts.profiles, env);
  const services = completeDependencies((merged.services ?? {}) as Record<string, Record<string, unknown>>);
  const report = (p: { path: readonly (string | number)[]; message: string; severity?: 'warning' }) =>
    (p.severity === 'warning' ? warnings : problems).push(locate(ctx.docs, p.path, p.message, p.severity));
  const active = selectServices(services, new Set(profiles), report);

  const envFiles = new Map<string, Record<string, string> | undefined>();
  const readOnce = async (path: string, format?: string) => {
    if (envFiles.has(path)) return;
    const text = await fs.read(path);
    const parsed = text === undefined ? undefined : format === 'raw' ? parseRawEnvFile(text) : parseEnvFile(text, lookupIn(env));
    for (const p of parsed?.problems ?? []) problems.push({ file: display(path), line: p.line, message: p.message });
    envFiles.set(path, parsed?.vars);
  };
  for (const svc of Object.values(active)) {
    for (const ef of (svc.env_file as { path: string; format?: string }[] | undefined) ?? []) await readOnce(ef.path, ef.format);
    for (const lf of (svc.label_file as string[] | undefined) ?? []) await readOnce(lf);
  }
  let project: ComposeProject | undefined;
  try {
    project = normalizeProject({ name, data: merged, services: active, lookup: lookupIn(env), envFiles, backend: opts.backend }, report);
  } catch (e) {
    // Input already known to be invalid may trip normalization; its problems are what to report.
    if (earlier === 0) throw e;
  }
  if (problems.length || !project) throw new ValidationError(problems, SUBJECT);

  const where = (path: readonly (string | number)[]) => {
    const { file, line } = locate(ctx.docs, path, '');
    return { file, line };
  };
  return { project, workingDir, composeFiles: files, allProfiles: allProfiles(services), profiles, environment: env, warnings, locate: where };
}

/** `-f -` reads stdin once; the loader then sees it as a file named `-` in the working directory. */
async function withStdin(fs: FileSystem, cwd: string, files: string[] | undefined): Promise<FileSystem> {
  if (!files?.includes('-')) return fs;
  if (!fs.stdin) throw new UsageError('-f - reads the compose file from stdin, which is not available here');
  const content = await fs.stdin();
  const path = stdinPath(cwd);
  return { ...fs, read: async (p) => (p === path ? content : fs.read(p)), exists: async (p) => p === path || fs.exists(p) };
}

export { printProject } from './print.js';
// reproduce.json's environment is an env file, read by compose's rules.
export { parseEnvFile } from './load/env-file.js';
