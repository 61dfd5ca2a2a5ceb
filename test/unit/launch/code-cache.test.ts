import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandKey, loadWithCodeCache, type CacheLocation } from '../../../src/launch/code-cache.js';

const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

// V8 keeps what one process compiled: a second load of the same source in this process would never
// consult the cache. Each load that must meet the cache as the CLI does runs in a process of its own.
let loader: string;
beforeAll(() => {
  loader = join(tempDir('envtest-codecache-loader-'), 'code-cache.cjs');
  buildSync({ entryPoints: [fileURLToPath(new URL('../../../src/launch/code-cache.ts', import.meta.url))], outfile: loader, format: 'cjs', platform: 'node', bundle: true, logLevel: 'silent' });
});

interface ChildLoad {
  used: boolean;
  answer: number;
}

/** Loads the bundle in a new process (calling its `late` first when asked), then saves the cache as the CLI does at exit. */
function loadInAProcess(file: string, where: CacheLocation, opts: { callLate?: boolean; shell?: string } = {}): ChildLoad {
  const script = `const l = require(${JSON.stringify(loader)}).loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(where)});
    ${opts.callLate ? 'globalThis.__codeCacheLate();' : ''}
    process.stdout.write(JSON.stringify({ used: l.used, answer: globalThis.__codeCacheSeen.answer })); l.save();`;
  if (!opts.shell) return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as ChildLoad;
  const child = spawnSync('bash', ['-c', `${opts.shell}; exec "$0" -e "$1"`, process.execPath, script], { encoding: 'utf8' });
  return JSON.parse(child.stdout) as ChildLoad;
}

/** A CommonJS bundle stand-in: requires a file beside it, reports what it saw of its module scope, and has a function run only on demand. */
function bundle(text = 'late'): { file: string; dir: string; seen: () => Record<string, unknown> } {
  const dir = tempDir('envtest-codecache-');
  const file = join(dir, 'cli.cjs');
  writeFileSync(join(dir, 'beside.cjs'), 'module.exports = { answer: 42 };\n');
  const lateBody = Array.from({ length: 200 }, (_, i) => `s += (n ^ ${i}) % 7;`).join(' ');
  writeFileSync(
    file,
    `const beside = require('./beside.cjs');
     function late(n) { let s = 0; ${lateBody} return s; }
     globalThis.__codeCacheLate = () => late(3);
     globalThis.__codeCacheSeen = { answer: beside.answer, filename: __filename, dirname: __dirname, exportsIsModuleExports: exports === module.exports, text: ${JSON.stringify(text)} };
     module.exports = { loaded: true };\n`,
  );
  return { file, dir, seen: () => (globalThis as unknown as { __codeCacheSeen: Record<string, unknown> }).__codeCacheSeen };
}

function cacheDir(root: string): string {
  const dir = join(root, 'cache');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.bin'));

describe('loading the CLI bundle with a code cache', () => {
  it('runs the bundle as require would: its own require, __filename, __dirname, exports', () => {
    const b = bundle();
    loadWithCodeCache(b.file, undefined);
    expect(b.seen()).toEqual({ answer: 42, filename: b.file, dirname: b.dir, exportsIsModuleExports: true, text: 'late' });
  });

  it('writes the cache once the process is done with it, and the next load takes it', () => {
    const b = bundle();
    const where = { dir: cacheDir(b.dir), key: 'run' };
    const first = loadWithCodeCache(b.file, where);
    expect(first.used).toBe(false);
    expect(readdirSync(where.dir)).toEqual([]);
    first.save();
    const files = cacheFiles(where.dir);
    expect(files).toEqual([expect.stringMatching(/^run-.*\.bin$/)]);
    const written = readFileSync(join(where.dir, files[0]!));
    expect(loadInAProcess(b.file, where)).toEqual({ used: true, answer: 42 });
    // A load that took the cache has nothing newer to write.
    expect(readFileSync(join(where.dir, files[0]!)).equals(written)).toBe(true);
  });

  it('holds what ran after loading: the cache is made at the end, not right after compiling', () => {
    const b = bundle();
    const loadedOnly = { dir: cacheDir(b.dir), key: 'run' };
    loadInAProcess(b.file, loadedOnly);
    const ranLate = { dir: join(b.dir, 'late'), key: 'run' };
    mkdirSync(ranLate.dir, { mode: 0o700 });
    loadInAProcess(b.file, ranLate, { callLate: true });
    const size = (where: CacheLocation) => statSync(join(where.dir, cacheFiles(where.dir)[0]!)).size;
    expect(size(ranLate)).toBeGreaterThan(size(loadedOnly));
  });

  it('never runs a cache of another build, even one of the same size and time stamp', () => {
    const b = bundle('build one');
    const where = { dir: cacheDir(b.dir), key: 'run' };
    loadInAProcess(b.file, where);
    expect(loadInAProcess(b.file, where).used).toBe(true);
    const { mtime } = statSync(b.file);
    writeFileSync(b.file, readFileSync(b.file, 'utf8').replace('build one', 'build two'));
    utimesSync(b.file, mtime, mtime);
    const child = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(loader)}).loadWithCodeCache(${JSON.stringify(b.file)}, ${JSON.stringify(where)}).save(); process.stdout.write(globalThis.__codeCacheSeen.text)`], { encoding: 'utf8' });
    expect(child).toBe('build two');
    // The earlier build's cache made way for this one's.
    expect(cacheFiles(where.dir)).toHaveLength(1);
    expect(loadInAProcess(b.file, where).used).toBe(true);
  });

  it('keeps one file per command, and two installs of the same command do not replace each other', () => {
    const one = bundle();
    const two = bundle();
    const dir = cacheDir(one.dir);
    loadWithCodeCache(one.file, { dir, key: 'run' }).save();
    loadWithCodeCache(one.file, { dir, key: 'ls' }).save();
    loadWithCodeCache(two.file, { dir, key: 'run' }).save();
    expect(cacheFiles(dir).map((f) => f.split('-')[0]).sort()).toEqual(['ls', 'run', 'run']);
    expect(loadInAProcess(one.file, { dir, key: 'run' }).used).toBe(true);
    expect(loadInAProcess(two.file, { dir, key: 'run' }).used).toBe(true);
  });

  it('compiles as usual from a cache V8 refuses, and writes a good one in its place', () => {
    const b = bundle();
    const where = { dir: cacheDir(b.dir), key: 'run' };
    loadWithCodeCache(b.file, where).save();
    const [file] = cacheFiles(where.dir);
    writeFileSync(join(where.dir, file!), Buffer.from('not a code cache at all, only bytes'));
    expect(loadInAProcess(b.file, where)).toEqual({ used: false, answer: 42 });
    expect(readFileSync(join(where.dir, file!)).toString()).not.toContain('not a code cache');
    expect(loadInAProcess(b.file, where).used).toBe(true);
  });

  describe('a planted cache is code: nothing is read or written where another user could have put it', () => {
    const planted = () => {
      const b = bundle();
      const where = { dir: cacheDir(b.dir), key: 'run' };
      loadInAProcess(b.file, where);
      expect(loadInAProcess(b.file, where).used).toBe(true);
      return { b, where, file: join(where.dir, cacheFiles(where.dir)[0]!) };
    };

    it('a directory others may write to', () => {
      const { b, where, file } = planted();
      chmodSync(where.dir, 0o777);
      expect(loadInAProcess(b.file, where).used).toBe(false);
      writeFileSync(file, 'planted');
      loadInAProcess(b.file, where);
      expect(readFileSync(file, 'utf8')).toBe('planted');
    });

    it.runIf(process.getuid?.() === 0)('a directory, or a file in ours, that another user owns', () => {
      const dirOwned = planted();
      chownSync(dirOwned.where.dir, 4242, 4242);
      expect(loadInAProcess(dirOwned.b.file, dirOwned.where).used).toBe(false);
      const fileOwned = planted();
      chownSync(fileOwned.file, 4242, 4242);
      expect(loadInAProcess(fileOwned.b.file, fileOwned.where).used).toBe(false);
    });

    it('a directory that is a link, or a cache file that is one', () => {
      const { b, where, file } = planted();
      const link = join(b.dir, 'linked');
      symlinkSync(where.dir, link);
      expect(loadInAProcess(b.file, { ...where, dir: link }).used).toBe(false);
      const elsewhere = join(b.dir, 'elsewhere.bin');
      writeFileSync(elsewhere, readFileSync(file));
      rmSync(file);
      symlinkSync(elsewhere, file);
      expect(loadInAProcess(b.file, where).used).toBe(false);
    });
  });

  it('a cache that cannot be written costs nothing but the cache, and leaves no half-written file', () => {
    const b = bundle();
    const blocked = join(b.dir, 'a-file-not-a-dir');
    writeFileSync(blocked, '');
    const load = loadWithCodeCache(b.file, { dir: join(blocked, 'cache'), key: 'run' });
    expect(() => load.save()).not.toThrow();
    // A file size limit below the cache's size: the write fails halfway.
    const where = { dir: cacheDir(b.dir), key: 'run' };
    expect(loadInAProcess(b.file, where, { shell: 'ulimit -f 1' }).used).toBe(false);
    expect(readdirSync(where.dir)).toEqual([]);
  });
});

describe('the cache key', () => {
  it('is the command, whatever options come before it', () => {
    expect(commandKey(['run', '-f', 'compose.yaml'])).toBe('run');
    expect(commandKey(['--debug', 'up'])).toBe('up');
  });

  it('is "help" for help, which compiles little of what the command itself runs', () => {
    expect(commandKey(['run', '--help'])).toBe('help');
    expect(commandKey(['-h'])).toBe('help');
  });

  it('is "other" for anything that is not a plain word, so odd arguments do not fill the directory', () => {
    expect(commandKey([])).toBe('other');
    expect(commandKey(['../../etc'])).toBe('other');
    expect(commandKey(['a-very-long-command-name'])).toBe('other');
  });
});
