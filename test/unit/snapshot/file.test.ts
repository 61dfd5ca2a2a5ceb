import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshotText, readSnapshotFile, renderSnapshotFile, snapshotPathFor, writeSnapshotFile } from '../../../src/snapshot/file.js';

describe('snapshot files', () => {
  it('live in __snapshots__ beside the suite, named after it', () => {
    expect(snapshotPathFor('checks/shop.yaml')).toBe(join('checks', '__snapshots__', 'shop.snap.yaml'));
    expect(snapshotPathFor('/x/api.yml')).toBe('/x/__snapshots__/api.snap.yaml');
  });

  it('render in a stable order whatever order they were built in, and read back the same', () => {
    const a = renderSnapshotFile('shop.yaml', {
      'z check': { protocol: 'redis', shape: { 'reply[]': 'string', reply: 'array' } },
      'a check': { protocol: 'http', shape: { '$.b': 'number', status: '200', $: 'object', 'content-type': 'application/json' } },
    });
    const b = renderSnapshotFile('shop.yaml', {
      'a check': { protocol: 'http', shape: { $: 'object', 'content-type': 'application/json', status: '200', '$.b': 'number' } },
      'z check': { protocol: 'redis', shape: { reply: 'array', 'reply[]': 'string' } },
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^# envtest snapshots for shop.yaml/);
    expect(a.indexOf('a check')).toBeLessThan(a.indexOf('z check'));
    const back = parseSnapshotText(a, 'x');
    expect(back['a check']).toEqual({ protocol: 'http', shape: { $: 'object', '$.b': 'number', 'content-type': 'application/json', status: '200' } });
    expect(Object.keys(back['a check']!.shape)).toEqual(['$', '$.b', 'content-type', 'status']);
  });

  it('keep numbers and booleans as the text they were written as', () => {
    const text = renderSnapshotFile('s.yaml', { c: { protocol: 'http', shape: { status: '200', '$.ok': 'boolean true' } } });
    expect(parseSnapshotText(text, 'x').c!.shape).toEqual({ status: '200', '$.ok': 'boolean true' });
  });

  it('are absent until written, and refuse a malformed file with its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'envtest-snap-'));
    const path = join(dir, '__snapshots__', 's.snap.yaml');
    expect(await readSnapshotFile(path)).toBeUndefined();
    await writeSnapshotFile(path, renderSnapshotFile('s.yaml', { c: { protocol: 'redis', shape: { reply: 'string' } } }));
    expect(await readSnapshotFile(path)).toEqual({ c: { protocol: 'redis', shape: { reply: 'string' } } });
    expect(await readFile(path, 'utf8')).toContain('reply: string');
    expect(() => parseSnapshotText('c: [1]', 'p.yaml')).toThrow(/p.yaml: "c" needs protocol/);
    expect(() => parseSnapshotText('- a', 'p.yaml')).toThrow(/expected a mapping/);
    expect(() => parseSnapshotText('a: [', 'p.yaml')).toThrow(/not valid YAML/);
  });
});
