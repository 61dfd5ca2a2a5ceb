import { describe, expect, it } from 'vitest';
import { diffShapes, formatChange } from '../../../src/snapshot/diff.js';
import { withoutIgnored } from '../../../src/snapshot/ignore.js';
import { parsePath } from '../../../src/snapshot/path.js';
import { jsonShape } from '../../../src/snapshot/shape.js';

const shape = (v: unknown) => jsonShape(v, '$', { values: false });
const lines = (a: Record<string, string>, b: Record<string, string>) => diffShapes(a, b).map(formatChange);

describe('diffShapes', () => {
  it('names a renamed field as the old one missing and the new one new', () => {
    const before = shape({ items: [{ id: 1, name: 'a' }] });
    const after = shape({ items: [{ id: 1, title: 'a' }] });
    expect(lines(before, after)).toEqual(['$.items[].name: missing (was string)', '$.items[].title: new (string)']);
  });

  it('names a type change with what it was', () => {
    expect(lines(shape({ price: 2 }), shape({ price: '2' }))).toEqual(['$.price: string (was number)']);
    expect(lines({ status: '200' }, { status: '404' })).toEqual(['status: 404 (was 200)']);
  });

  it('is empty for the same shape', () => {
    expect(diffShapes(shape({ a: [{ b: 1 }] }), shape({ a: [{ b: 2 }, { b: 3 }] }))).toEqual([]);
  });

  it('does not repeat the children of a part that vanished or appeared as a whole', () => {
    expect(lines(shape({ items: [{ id: 1 }], ok: true }), shape({ ok: true, meta: { page: 1 } }))).toEqual([
      '$.items: missing (was array)',
      '$.meta: new (object)',
    ]);
  });

  it('lists children when the parent only changed type', () => {
    expect(lines(shape({ a: { b: 1 } }), shape({ a: [1] }))).toEqual(['$.a: array (was object)', '$.a[]: new (number)', '$.a.b: missing (was number)']);
  });
});

describe('ignore', () => {
  const s = shape({ items: [{ id: 1, updatedAt: 'x', meta: { at: 1 } }], updatedAt: 'y' });

  it('drops a path and everything under it, in every element', () => {
    expect(Object.keys(withoutIgnored(s, ['$.items[*].updatedAt', '$.items[].meta']))).toEqual([
      '$',
      '$.items',
      '$.items[]',
      '$.items[].id',
      '$.updatedAt',
    ]);
  });

  it('matches indexed elements and any key with wildcards', () => {
    const v = jsonShape({ items: [{ at: 1 }, { at: 2 }] }, '$', { values: true });
    expect(Object.keys(withoutIgnored(v, ['$.items[*].at']))).toEqual(['$', '$.items', '$.items[0]', '$.items[1]']);
    expect(Object.keys(withoutIgnored(s, ['$.*']))).toEqual(['$']);
    expect(withoutIgnored({ 'headers.server': 'present', 'headers.vary': 'present' }, ['headers.server'])).toEqual({ 'headers.vary': 'present' });
  });

  it('does not treat a longer key as under a shorter one', () => {
    expect(withoutIgnored({ '$.item': 'string', '$.items': 'array' }, ['$.item'])).toEqual({ '$.items': 'array' });
  });
});

describe('parsePath', () => {
  it('reads every segment form', () => {
    expect(parsePath('$.a[]["b c"][3].*[*]')).toEqual({
      root: '$',
      segments: [{ key: 'a' }, { each: true }, { key: 'b c' }, { index: 3 }, { anyKey: true }, { each: true }],
    });
  });

  it('says what it cannot read', () => {
    expect(() => parsePath('items')).not.toThrow();
    expect(() => parsePath('.items')).toThrow(/must start with \$ or a name/);
    expect(() => parsePath('$.items[x]')).toThrow(/cannot read "\[x\]"/);
  });
});
