import { describe, expect, it } from 'vitest';
import { interpolate, interpolateString } from '../../../src/suite/interpolate.js';

const run = (text: string, env: Record<string, string | undefined>) => {
  const problems: string[] = [];
  return { value: interpolateString(text, env, (m) => problems.push(m)), problems };
};

describe('interpolation', () => {
  it('fills ${VAR} and ${VAR:-default}', () => {
    expect(run('${A}-${B:-b}-${C:-c}', { A: 'a', C: '' })).toEqual({ value: 'a-b-c', problems: [] });
  });
  it('keeps $$ as a literal $ and leaves bare $ alone', () => {
    expect(run('p$$w${X}rd $HOME', { X: '0' })).toEqual({ value: 'p$w0rd $HOME', problems: [] });
  });
  it('reports unset variables and malformed references', () => {
    expect(run('${MISSING}', {}).problems).toEqual(['variable "MISSING" is not set (use ${MISSING:-default} to give a default)']);
    expect(run('${1X}', {}).problems).toEqual(['invalid variable reference "${1X}"']);
    expect(run('${OPEN', {}).problems).toEqual(['unterminated "${" (write "$$" for a literal "$")']);
  });
  it('walks nested values and reports paths; keys and non-strings are untouched', () => {
    const { value, problems } = interpolate({ '${K}': [{ a: '${V}' }, 3, true, null] }, {});
    expect(value).toEqual({ '${K}': [{ a: '' }, 3, true, null] });
    expect(problems.map((p) => p.path)).toEqual([['${K}', 0, 'a']]);
  });
});
