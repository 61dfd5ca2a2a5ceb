import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../../src/errors.js';
import { validateSuite } from '../../../src/suite/validate.js';

const load = (text: string) => validateSuite(text, 'suite.yaml');
const messages = (text: string) => load(text).problems.map(formatProblem);
const snapshotOf = (text: string) => load(text).suite!.checks.map((c) => [c.name, c.snapshot]);

describe('snapshot keys in suites', () => {
  it('turns a check on with true, with values and ignore from the object form', () => {
    expect(
      snapshotOf(
        [
          'checks:',
          '  - { name: a, target: api:80, http: {}, snapshot: true }',
          '  - { name: b, target: api:80, http: {}, snapshot: { values: true, ignore: ["$.items[*].at"] } }',
          '  - { name: c, target: api:80, http: {} }',
        ].join('\n'),
      ),
    ).toEqual([
      ['a', { values: false, ignore: [] }],
      ['b', { values: true, ignore: ['$.items[*].at'] }],
      ['c', undefined],
    ]);
  });

  it('takes the suite default, lets a check turn it off, adds up ignore lists, and skips checks with nothing to record', () => {
    expect(
      snapshotOf(
        [
          'defaults: { snapshot: { ignore: [headers.server] } }',
          'checks:',
          '  - { name: a, target: api:80, http: {} }',
          '  - { name: b, target: api:80, http: {}, snapshot: false }',
          '  - { name: c, target: api:80, http: {}, snapshot: { ignore: ["$.at"] } }',
          '  - { name: d, target: api:80, tcp: {} }',
          '  - { name: e, target: api:80, http: {}, expect: { open: false } }',
          '  - { name: f, target: db:5432, postgres: {}, snapshot: { values: true } }',
        ].join('\n'),
      ),
    ).toEqual([
      ['a', { values: false, ignore: ['headers.server'] }],
      ['b', undefined],
      ['c', { values: false, ignore: ['headers.server', '$.at'] }],
      ['d', undefined],
      ['e', undefined],
      ['f', { values: true, ignore: ['headers.server'] }],
    ]);
  });

  it('refuses a snapshot written on a check with nothing to record, and bad ignore paths, by line', () => {
    expect(
      messages(
        [
          'checks:',
          '  - { name: a, target: api:80, tcp: {}, snapshot: true }',
          '  - { name: b, target: api:80, http: {}, expect: { open: false }, snapshot: true }',
          '  - { name: c, target: api:80, http: {}, snapshot: { ignore: [".items"] } }',
          '  - { name: d, target: api:80, http: {}, snapshot: { value: true } }',
          '  - { name: e, target: api:80, http: {}, snapshot: yes }',
        ].join('\n'),
      ),
    ).toEqual([
      'suite.yaml:2 checks[0] "a" snapshot: tcp has no answer to snapshot (it only connects); use expect.receive',
      'suite.yaml:3 checks[1] "b" snapshot: cannot be combined with open: false (a closed port answers nothing)',
      'suite.yaml:4 checks[2] "c" snapshot.ignore[0]: not a path: must start with $ or a name such as status, headers, columns or reply, got ".items"',
      expect.stringMatching(/^suite.yaml:5 checks\[3\] "d" snapshot.*value/),
      expect.stringMatching(/^suite.yaml:6 checks\[4\] "e" snapshot: expected true, false or \{ values, ignore \}/),
    ]);
  });
});
