import { describe, expect, it } from 'vitest';
import { bodyShape, jsonShape } from '../../../src/snapshot/shape.js';

const types = { values: false };

describe('jsonShape', () => {
  it('records keys and value types, never values', () => {
    expect(jsonShape({ status: 'ok', count: 3, up: true, note: null }, '$', types)).toEqual({
      $: 'object',
      '$.count': 'number',
      '$.note': 'null',
      '$.status': 'string',
      '$.up': 'boolean',
    });
  });

  it('merges the shapes of array elements: keys from every element, types joined', () => {
    const shape = jsonShape({ items: [{ id: 1, name: 'a' }, { id: 2, name: null, tags: ['x'] }] }, '$', types);
    expect(shape).toEqual({
      $: 'object',
      '$.items': 'array',
      '$.items[]': 'object',
      '$.items[].id': 'number',
      '$.items[].name': 'null | string',
      '$.items[].tags': 'array',
      '$.items[].tags[]': 'string',
    });
  });

  it('does not depend on key order or element count', () => {
    const a = jsonShape({ b: 1, a: [{ x: 1 }, { x: 2 }, { x: 3 }] }, '$', types);
    const b = jsonShape({ a: [{ x: 9 }], b: 2 }, '$', types);
    expect(a).toEqual(b);
    expect(Object.keys(a)).toEqual(Object.keys(b));
  });

  it('keeps parents before children in a stable order', () => {
    expect(Object.keys(jsonShape({ z: { a: 1 }, a: [1], m: 'x' }, '$', types))).toEqual(['$', '$.a', '$.a[]', '$.m', '$.z', '$.z.a']);
  });

  it('quotes keys that are not plain names', () => {
    expect(jsonShape({ 'a.b': 1, 'with space': true }, '$', types)).toEqual({ $: 'object', '$["a.b"]': 'number', '$["with space"]': 'boolean' });
  });

  it('with values, records each value and keeps elements by index', () => {
    expect(jsonShape({ items: [{ name: 'espresso' }, { name: 'latte', price: 2.5 }] }, '$', { values: true })).toEqual({
      $: 'object',
      '$.items': 'array',
      '$.items[0]': 'object',
      '$.items[0].name': 'string "espresso"',
      '$.items[1]': 'object',
      '$.items[1].name': 'string "latte"',
      '$.items[1].price': 'number 2.5',
    });
  });

  it('sorts index 2 before index 10', () => {
    const keys = Object.keys(jsonShape(Array.from({ length: 11 }, (_, i) => i), 'reply', { values: true }));
    expect(keys.slice(0, 4)).toEqual(['reply', 'reply[0]', 'reply[1]', 'reply[2]']);
    expect(keys.at(-1)).toBe('reply[10]');
  });

  it('takes any root name', () => {
    expect(jsonShape(['a', 'b'], 'reply', types)).toEqual({ reply: 'array', 'reply[]': 'string' });
    expect(jsonShape([], 'reply', types)).toEqual({ reply: 'array' });
  });
});

describe('bodyShape', () => {
  it('is the JSON structure when the body parses, text or empty otherwise', () => {
    expect(bodyShape('{"a":[1]}', types)).toEqual({ $: 'object', '$.a': 'array', '$.a[]': 'number' });
    expect(bodyShape('<html>', types)).toEqual({ body: 'text' });
    expect(bodyShape('', types)).toEqual({ body: 'empty' });
    expect(bodyShape('hello', { values: true })).toEqual({ body: 'text "hello"' });
  });
});
