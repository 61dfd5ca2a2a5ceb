import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../../src/compose/load/env-file.js';

describe('parseEnvFile', () => {
  it('reads KEY=VAL lines, quotes, export, comments and interpolates earlier variables', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=hello',
      'export EXPORTED=yes',
      'SPACED = padded value  ',
      'COMMENTED=abc # trailing comment',
      'HASH=a#b',
      "SINGLE='no $PLAIN expansion # kept'",
      'DOUBLE="line1\\nline2 ${PLAIN}"',
      'ESCAPED="cost \\$5"',
      'REF=${PLAIN}-world',
      'DEFAULTED=${MISSING:-fallback}',
      'FROM_PROCESS=$HOME_DIR/x',
      'MULTI="first',
      'second"',
      'EMPTY=',
      'DOLLARS=a$$b',
    ].join('\n');
    const { vars, problems } = parseEnvFile(text, (n) => ({ HOME_DIR: '/home/me' })[n]);
    expect(problems).toEqual([]);
    expect(vars).toEqual({
      PLAIN: 'hello',
      EXPORTED: 'yes',
      SPACED: 'padded value',
      COMMENTED: 'abc',
      HASH: 'a#b',
      SINGLE: 'no $PLAIN expansion # kept',
      DOUBLE: 'line1\nline2 hello',
      ESCAPED: 'cost $5',
      REF: 'hello-world',
      DEFAULTED: 'fallback',
      FROM_PROCESS: '/home/me/x',
      MULTI: 'first\nsecond',
      EMPTY: '',
      DOLLARS: 'a$b',
    });
  });

  it('takes a bare KEY from the environment, or skips it', () => {
    expect(parseEnvFile('FOO\nBAR', (n) => (n === 'FOO' ? 'from-env' : undefined)).vars).toEqual({ FOO: 'from-env' });
  });

  it('reports bad lines with their line numbers and keeps going', () => {
    const { vars, problems } = parseEnvFile('OK=1\n1BAD=x\nREQ=${NOPE:?needed}\nQ="open\n', () => undefined);
    expect(vars).toEqual({ OK: '1' });
    expect(problems).toEqual([
      { line: 2, message: 'invalid variable name "1BAD": expected KEY=VALUE with KEY made of letters, digits and _' },
      { line: 3, message: 'REQ: required variable NOPE is missing a value: needed' },
      { line: 4, message: 'unterminated double-quoted value for Q' },
    ]);
  });
});
