import { describe, expect, it } from 'vitest';
import { interpolate, interpolateTree, InterpolationError } from '../../../src/compose/load/interpolate.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '', B: 'bee' };
const lookup = (n: string) => env[n];
const run = (t: string) => interpolate(t, lookup);

describe('interpolate', () => {
  it.each([
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['pre-${SET}-post', 'pre-value-post'],
    ['$SET.txt', 'value.txt'],
    ['${UNSET}', ''],
    ['$UNSET', ''],
    ['${UNSET:-def}', 'def'],
    ['${EMPTY:-def}', 'def'],
    ['${EMPTY-def}', ''],
    ['${UNSET-def}', 'def'],
    ['${SET:-def}', 'value'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${SET:?boom}', 'value'],
    ['${EMPTY?boom}', ''],
    ['${UNSET:-${B:-x}}', 'bee'],
    ['${UNSET:-${NOPE:-x}}', 'x'],
    ['${UNSET:-a ${B} c}', 'a bee c'],
    ['${SET:-${NOPE:?not evaluated}}', 'value'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['a $$ b', 'a $ b'],
    ['cost: 5$', 'cost: 5$'],
    ['$ alone', '$ alone'],
    ['${UNSET:-$$}', '$'],
  ])('%s -> %s', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  it.each([
    ['${UNSET:?please set it}', 'required variable UNSET is missing a value: please set it'],
    ['${EMPTY:?empty too}', 'required variable EMPTY is missing a value: empty too'],
    ['${UNSET?}', 'required variable UNSET is missing a value'],
    ['${UNSET:-${INNER:?inner one}}', 'required variable INNER is missing a value: inner one'],
    ['${SET', 'invalid interpolation format: "${SET" has no closing "}"'],
    ['${}', 'invalid interpolation format: "${}" (expected a variable name after "${")'],
    ['${SET*x}', 'invalid interpolation format: "${SET*x}" (expected "}" or one of :- - :? ? :+ + after "SET")'],
  ])('%s fails: %s', (text, message) => {
    expect(() => run(text)).toThrow(InterpolationError);
    expect(() => run(text)).toThrow(message);
  });

  it('reports unset plain variables so the loader can warn', () => {
    const unset: string[] = [];
    interpolate('${A} $B ${C:-x}', () => undefined, { onUnset: (n) => unset.push(n) });
    expect(unset).toEqual(['A', 'B']);
  });

  it('interpolates values, not keys, and reports every failure with its path', () => {
    const problems: unknown[] = [];
    const out = interpolateTree(
      { services: { $SET: { image: 'x:${SET}', command: ['${A:?a}', '${B:?b}'], tty: true, n: 1 } } },
      (n) => ({ SET: 'v' })[n],
      (p) => problems.push(p),
    );
    expect(out).toEqual({ services: { $SET: { image: 'x:v', command: ['${A:?a}', '${B:?b}'], tty: true, n: 1 } } });
    expect(problems).toEqual([
      { path: ['services', '$SET', 'command', 0], message: 'required variable A is missing a value: a' },
      { path: ['services', '$SET', 'command', 1], message: 'required variable B is missing a value: b' },
    ]);
  });
});
