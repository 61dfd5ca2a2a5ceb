import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/model/results.js';
import { SnapshotBook, type SnapshotMode } from '../../../src/snapshot/book.js';
import { renderSnapshotFile } from '../../../src/snapshot/file.js';
import { validateSuite } from '../../../src/suite/validate.js';

const SUITE = [
  'name: s',
  'defaults: { snapshot: { ignore: ["$.at"] } }',
  'checks:',
  '  - { name: api, target: api:80, http: {} }',
  '  - { name: cache, target: cache:6379, redis: {} }',
  '  - { name: port, target: api:80, tcp: {} }',
].join('\n');

async function setup(existing?: Record<string, { protocol: string; shape: Record<string, string> }>) {
  const dir = await mkdtemp(join(tmpdir(), 'envtest-book-'));
  const file = join(dir, 's.yaml');
  const suite = validateSuite(SUITE, file).suite!;
  const snap = join(dir, '__snapshots__', 's.snap.yaml');
  if (existing) {
    await mkdir(join(dir, '__snapshots__'));
    await writeFile(snap, renderSnapshotFile(file, existing));
  }
  const open = (mode: Partial<SnapshotMode> = {}) => SnapshotBook.open([suite], { update: false, ci: false, recordCommand: 'envtest run x -u', cwd: dir, ...mode });
  return { open, snap, read: () => readFile(snap, 'utf8') };
}

const result = (name: string, protocol: string, shape: Record<string, string> | undefined, status: 'passed' | 'failed' = 'passed'): CheckResult => ({
  suite: 's',
  name,
  target: 'x:1',
  protocol,
  status,
  attempts: 1,
  durationMs: 1,
  message: status,
  ...(shape ? { shape } : {}),
});

const apiShape = { status: '200', $: 'object', '$.name': 'string', '$.at': 'string' };

describe('SnapshotBook', () => {
  it('records a missing snapshot on a laptop, without the ignored paths, and never the shape in the result', async () => {
    const { open, read } = await setup();
    const book = await open();
    const judged = book.judge(result('api', 'http', apiShape));
    expect(judged).toMatchObject({ status: 'passed', snapshot: { status: 'recorded', file: join('__snapshots__', 's.snap.yaml') } });
    expect(judged.shape).toBeUndefined();
    expect(book.judge(result('port', 'tcp', undefined)).snapshot).toBeUndefined();
    expect(await book.save()).toEqual([{ file: join('__snapshots__', 's.snap.yaml'), recorded: ['api'], updated: [], removed: [] }]);
    const text = await read();
    expect(text).toContain('$.name: string');
    expect(text).not.toContain('$.at');
  });

  it('in CI fails a missing snapshot with the record command and writes nothing', async () => {
    const { open, snap } = await setup();
    const book = await open({ ci: true });
    const judged = book.judge(result('cache', 'redis', { reply: 'string' }));
    expect(judged.status).toBe('failed');
    expect(judged.message).toContain('record it with: envtest run x -u');
    expect(judged.snapshot!.status).toBe('missing');
    expect(await book.save()).toEqual([]);
    await expect(readFile(snap)).rejects.toThrow();
  });

  it('fails a changed shape with one line per change, and -u accepts it', async () => {
    const { open, read } = await setup({ api: { protocol: 'http', shape: { status: '200', $: 'object', '$.name': 'string' } } });
    const renamed = { status: '200', $: 'object', '$.title': 'string', '$.at': 'number' };
    const failed = (await open({ ci: true })).judge(result('api', 'http', renamed));
    expect(failed.status).toBe('failed');
    expect(failed.snapshot).toEqual({ status: 'changed', file: join('__snapshots__', 's.snap.yaml'), changes: ['$.name: missing (was string)', '$.title: new (string)'] });
    expect(failed.message).toMatch(/accept it with: envtest run x -u\):\n {4}\$\.name: missing \(was string\)\n {4}\$\.title: new \(string\)$/);

    const book = await open({ update: true });
    expect(book.judge(result('api', 'http', renamed))).toMatchObject({ status: 'passed', snapshot: { status: 'updated' } });
    await book.save();
    expect(await read()).toContain('$.title: string');
  });

  it('matches an unchanged shape, whatever the ignored parts hold, and leaves the file alone', async () => {
    const { open, read } = await setup({ api: { protocol: 'http', shape: { status: '200', $: 'object', '$.name': 'string' } } });
    const before = await read();
    const book = await open({ update: true });
    expect(book.judge(result('api', 'http', { ...apiShape, '$.at': 'null' })).snapshot!.status).toBe('matched');
    expect(await book.save()).toEqual([]);
    expect(await read()).toBe(before);
  });

  it('with -u drops entries of checks that are gone, and keeps the entry of a check that failed this time', async () => {
    const { open, read } = await setup({
      api: { protocol: 'http', shape: { status: '200' } },
      gone: { protocol: 'redis', shape: { reply: 'string' } },
    });
    const book = await open({ update: true });
    expect(book.judge(result('api', 'http', undefined, 'failed')).snapshot).toBeUndefined();
    book.judge(result('cache', 'redis', { reply: 'number' }));
    expect(await book.save()).toEqual([{ file: join('__snapshots__', 's.snap.yaml'), recorded: ['cache'], updated: [], removed: ['gone'] }]);
    const text = await read();
    expect(text).toContain('api:');
    expect(text).toContain('reply: number');
    expect(text).not.toContain('gone');
  });

  it('refuses an unreadable snapshot file before anything runs', async () => {
    const { open, snap } = await setup({ api: { protocol: 'http', shape: {} } });
    await writeFile(snap, 'api: [1, 2]\n');
    await expect(open()).rejects.toThrow(/s\.snap\.yaml: "api" needs protocol/);
  });
});
