// Loads the CLI's bundle with V8's code cache. Every `envtest` invocation otherwise compiles the
// same 1.7 MB again: the bundle's top level, then each function on its first call. That is about a
// third of what passes before a run's first engine call (measured: 100 ms of about 450 on 2 cores).
// Node 22's `module.enableCompileCache()` does this for every module; envtest supports Node 20,
// which has only `vm.Script`'s `cachedData`, so the bundle is compiled here, as a CommonJS module.
//
// The cache is written once the process ends, not after compiling: by then it holds every
// function this command ran, not only the top level. Each command gets its own file, so a first
// `envtest ls` does not leave `envtest run` with a cache of the functions `ls` needed.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
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

/**
 * The command's name when it looks like one (a cache key, not a parse: a miss only costs a compile).
 * Help is its own key: `run --help` compiles little of what `run` runs.
 */
export function commandKey(argv: string[]): string {
  if (argv.some((a) => a === '-h' || a === '--help')) return 'help';
  const word = argv.find((a) => !a.startsWith('-'));
  return word && /^[a-z]{2,12}$/.test(word) ? word : 'other';
}

/**
 * Runs `file` (CommonJS) as `require` would, with V8's code cache from `where`. Any problem with
 * the cache (unreadable, foreign, refused by V8) only means compiling as usual.
 */
export function loadWithCodeCache(file: string, where: CacheLocation | undefined): CachedLoad {
  const source = readFileSync(file, 'utf8');
  // Per install (two checkouts must not replace each other's files), per build and per V8 with its flags.
  const prefix = where && `${where.key}-${digest(file)}-`;
  const cacheFile = where && join(where.dir, `${prefix}${digest(source)}-${cachedDataVersionTag()}.bin`);
  const cachedData = cacheFile && ownDirectory(where.dir) ? readOwnFile(cacheFile) : undefined;
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const used = !!cachedData && !script.cachedDataRejected;
  const save = () => {
    if (used || !cacheFile || !where || !prefix) return;
    // Renamed into place: concurrent invocations (parallel CI jobs) never read half a file.
    const partial = `${cacheFile}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      makeDirectory(where.dir);
      if (!ownDirectory(where.dir)) return;
      writeFileSync(partial, script.createCachedData(), { mode: 0o600, flag: 'wx' });
      renameSync(partial, cacheFile);
      dropOlder(where.dir, prefix, basename(cacheFile));
    } catch {
      // A cache is an optimisation: a full disk or a read-only temp dir must not fail a command.
      removeQuietly(partial);
    }
  };
  const module = new Module(file);
  module.filename = file;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file));
  return { used, save };
}

/**
 * V8 checks only that a cache was made for a source of the same length: a rebuilt bundle whose
 * size and time stamp happen to match (a Nix store, a reproducible image) must not run old code.
 */
function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/** Owned by this user, and nobody else may write to it (where the system has owners and modes). */
function ownAndClosed(stat: { uid: number; mode: number }): boolean {
  const uid = process.getuid?.();
  // Windows reports every file as 0o666 and has no uid: its temporary directory is the user's own.
  return uid === undefined || (stat.uid === uid && (stat.mode & 0o022) === 0);
}

/**
 * A directory this user owns and nobody else may write into. In a shared /tmp anyone could have
 * made it first and planted a cache, which V8 would run.
 */
function ownDirectory(dir: string): boolean {
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && ownAndClosed(stat);
  } catch {
    return false;
  }
}

/** The file as opened (not a link, and checked after opening, so it cannot be swapped in between). */
function readOwnFile(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const stat = fstatSync(fd);
    return stat.isFile() && ownAndClosed(stat) ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
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

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Its directory is what failed: there is nothing to remove.
  }
}

/** Caches of earlier builds of this install for the same command, and what failed writes left. */
function dropOlder(dir: string, prefix: string, current: string): void {
  for (const name of readdirSync(dir)) {
    if (name !== current && name.startsWith(prefix) && (name.endsWith('.bin') || name.endsWith('.tmp'))) rmSync(join(dir, name), { force: true });
  }
}
