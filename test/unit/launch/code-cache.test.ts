import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandKey, loadWithCodeCache, type CacheLocation } from '../../../src/launch/code-cache.js';

// V8 keeps what one process compiled: a second load of the same source in this process would never
// consult the cache. Each load that must meet the cache as the CLI does runs in a process of its own.
let loader: string;
beforeAll(() => {
  loader = join(mkdtempSync(join(tmpdir(), 'envtest-codecache-loader-')), 'code-cache.cjs');
  buildSync({ entryPoints: [fileURLToPath(new URL('../../../src/launch/code-cache.ts', import.meta.url))], outfile: loader, format: 'cjs', platform: 'node', bundle: true, logLevel: 'silent' });
});

/** Loads the bundle in a new process, saves the cache as the CLI does at exit, and says whether it used one. */
function loadInAProcess(file: string, where: CacheLocation): { used: boolean; answer: number } {
  const script = `const l = require(${JSON.stringify(loader)}).loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(where)});
    process.stdout.write(JSON.stringify({ used: l.used, answer: globalThis.__codeCacheSeen.answer })); l.save();`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { used: boolean; answer: number };
}

/** A CommonJS bundle stand-in: requires a file beside it and reports what it saw of its module scope. */
function bundle(): { file: string; dir: string; seen: () => Record<string, unknown> } {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-codecache-'));
  const file = join(dir, 'cli.cjs');
  writeFileSync(join(dir, 'beside.cjs'), 'module.exports = { answer: 42 };\n');
  // A function that only runs when called, so a cache made after the run holds more than the top level.
  writeFileSync(
    file,
    `const beside = require('./beside.cjs');
     function late(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }
     globalThis.__codeCacheSeen = { answer: beside.answer, filename: __filename, dirname: __dirname, exportsIsModuleExports: exports === module.exports, late: late(10) };
     module.exports = { loaded: true };\n`,
  );
  return { file, dir, seen: () => (globalThis as unknown as { __codeCacheSeen: Record<string, unknown> }).__codeCacheSeen };
}

function cacheDir(root: string): string {
  const dir = join(root, 'cache');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

describe('loading the CLI bundle with a code cache', () => {
  it('runs the bundle as require would: its own require, __filename, __dirname, exports', () => {
    const b = bundle();
    loadWithCodeCache(b.file, undefined);
    expect(b.seen()).toEqual({ answer: 42, filename: b.file, dirname: b.dir, exportsIsModuleExports: true, late: 45 });
  });

  it('writes the cache once the process is done with it, and the next load takes it', () => {
    const b = bundle();
    const where = { dir: cacheDir(b.dir), key: 'run' };
    const first = loadWithCodeCache(b.file, where);
    expect(first.used).toBe(false);
    expect(readdirSync(where.dir)).toEqual([]);
    first.save();
    const files = readdirSync(where.dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^run-.*\.bin$/);
    const written = readFileSync(join(where.dir, files[0]!));
    expect(loadInAProcess(b.file, where)).toEqual({ used: true, answer: 42 });
    // A load that took the cache has nothing newer to write.
    expect(readFileSync(join(where.dir, files[0]!)).equals(written)).toBe(true);
  });

  it('keeps one file per command', () => {
    const b = bundle();
    const dir = cacheDir(b.dir);
    loadWithCodeCache(b.file, { dir, key: 'run' }).save();
    loadWithCodeCache(b.file, { dir, key: 'ls' }).save();
    expect(readdirSync(dir).map((f) => f.split('-')[0]).sort()).toEqual(['ls', 'run']);
  });

  it('replaces the cache of an earlier build of the bundle, which V8 would refuse anyway', () => {
    const b = bundle();
    const dir = cacheDir(b.dir);
    writeFileSync(join(dir, 'run-11.0-x64-1-1.bin'), 'an earlier build');
    loadWithCodeCache(b.file, { dir, key: 'run' }).save();
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).not.toBe('run-11.0-x64-1-1.bin');
  });

  it('compiles as usual from a cache V8 refuses, and writes a good one in its place', () => {
    const b = bundle();
    const where = { dir: cacheDir(b.dir), key: 'run' };
    loadWithCodeCache(b.file, where).save();
    const [file] = readdirSync(where.dir);
    writeFileSync(join(where.dir, file!), Buffer.from('not a code cache at all, only bytes'));
    expect(loadInAProcess(b.file, where)).toEqual({ used: false, answer: 42 });
    expect(readFileSync(join(where.dir, file!)).toString()).not.toContain('not a code cache');
    expect(loadInAProcess(b.file, where).used).toBe(true);
  });

  it('neither reads nor writes a cache in a directory others may write to: a planted cache is code', () => {
    const b = bundle();
    const where = { dir: cacheDir(b.dir), key: 'run' };
    loadWithCodeCache(b.file, where).save();
    expect(loadInAProcess(b.file, where).used).toBe(true);
    chmodSync(where.dir, 0o777);
    expect(loadInAProcess(b.file, where).used).toBe(false);
    const [file] = readdirSync(where.dir);
    writeFileSync(join(where.dir, file!), 'planted');
    loadInAProcess(b.file, where);
    expect(readFileSync(join(where.dir, file!), 'utf8')).toBe('planted');
  });

  it('a cache that cannot be written costs nothing but the cache', () => {
    const b = bundle();
    const blocked = join(b.dir, 'a-file-not-a-dir');
    writeFileSync(blocked, '');
    const load = loadWithCodeCache(b.file, { dir: join(blocked, 'cache'), key: 'run' });
    expect(() => load.save()).not.toThrow();
  });
});

describe('the cache key', () => {
  it('is the command, whatever options come before it', () => {
    expect(commandKey(['run', '-f', 'compose.yaml'])).toBe('run');
    expect(commandKey(['--debug', 'up'])).toBe('up');
  });

  it('is "other" for anything that is not a plain word, so odd arguments do not fill the directory', () => {
    expect(commandKey([])).toBe('other');
    expect(commandKey(['--help'])).toBe('other');
    expect(commandKey(['../../etc'])).toBe('other');
    expect(commandKey(['a-very-long-command-name'])).toBe('other');
  });
});
