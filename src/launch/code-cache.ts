// Loads the CLI's bundle with V8's code cache. Every `envtest` invocation otherwise compiles the
// same 1.7 MB again: the bundle's top level, then each function on its first call. That is about a
// third of what passes before a run's first engine call (measured: 100 ms of about 450 on 2 cores).
// Node 22's `module.enableCompileCache()` does this for every module; envtest supports Node 20,
// which has only `vm.Script`'s `cachedData`, so the bundle is compiled here, as a CommonJS module.
//
// The cache is written once the process ends, not after compiling: by then it holds every
// function this command ran, not only the top level. Each command gets its own file, so a first
// `envtest ls` does not leave `envtest run` with a cache of the functions `ls` needed.
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface CachedLoad {
  /** Whether the cache was read and V8 took it. */
  used: boolean;
  /** Writes the cache for the next invocation when this one had none (or V8 refused it); never throws. */
  save(): void;
}

export interface CacheLocation {
  /** A directory only this user can write: a cache is code this process runs. */
  dir: string;
  /** What the cache is for (the command), part of its file name. */
  key: string;
}

/** `<tmpdir>/envtest-code-cache-<uid>`, as Node keeps its own compile cache in the temporary directory. */
export function defaultCacheDir(): string {
  return join(tmpdir(), `envtest-code-cache-${process.getuid?.() ?? 'user'}`);
}

/** The command's name when it looks like one (a cache key, not a parse: a miss only costs a compile). */
export function commandKey(argv: string[]): string {
  const word = argv.find((a) => !a.startsWith('-'));
  return word && /^[a-z]{2,12}$/.test(word) ? word : 'other';
}

/**
 * Runs `file` (CommonJS) as `require` would, with V8's code cache from `where`. Any problem with
 * the cache (unreadable, foreign, refused by V8) only means compiling as usual.
 */
export function loadWithCodeCache(file: string, where: CacheLocation | undefined): CachedLoad {
  const source = readFileSync(file, 'utf8');
  const cacheFile = where && join(where.dir, `${where.key}-${fingerprint(file)}.bin`);
  const cachedData = cacheFile && ownDirectory(where.dir) ? readOrNothing(cacheFile) : undefined;
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const used = !!cachedData && !script.cachedDataRejected;
  const save = () => {
    if (used || !cacheFile || !where) return;
    try {
      makeDirectory(where.dir);
      if (!ownDirectory(where.dir)) return;
      // Renamed into place: concurrent invocations (parallel CI jobs) never read half a file.
      const partial = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
      renameSync(partial, cacheFile);
      dropOlder(where.dir, where.key, basename(cacheFile));
    } catch {
      // A cache is an optimisation: a full disk or a read-only temp dir must not fail a command.
    }
  };
  const module = new Module(file);
  module.filename = file;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file));
  return { used, save };
}

/** Another build of the bundle, or another Node, gets another file (V8 would refuse the old one anyway). */
function fingerprint(file: string): string {
  const { size, mtimeMs } = statSync(file);
  return [process.versions.v8, process.arch, size, Math.trunc(mtimeMs)].join('-').replace(/[^\w.-]/g, '_');
}

/**
 * A directory this user owns and nobody else may write into. In a shared /tmp anyone could have
 * made it first and planted a cache: V8 checks only that a cache matches the source's length.
 */
function ownDirectory(dir: string): boolean {
  try {
    const stat = lstatSync(dir);
    const uid = process.getuid?.();
    return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * Only the last level: the temporary directory itself must exist. A recursive mkdir never returns
 * on some paths (Node 20 under TMPDIR=/proc/self spins forever), and this runs as the process exits.
 */
function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

function readOrNothing(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Caches of earlier builds for the same command would only accumulate. */
function dropOlder(dir: string, key: string, current: string): void {
  for (const name of readdirSync(dir)) {
    if (name !== current && name.startsWith(`${key}-`) && name.endsWith('.bin')) rmSync(join(dir, name), { force: true });
  }
}
