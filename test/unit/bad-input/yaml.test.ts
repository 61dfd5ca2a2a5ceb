// Hostile or broken YAML, in compose files and suites alike: a sentence with file and line, never a
// crash, never the input echoed back.
import { describe, expect, it } from 'vitest';
import { loadProjectWith } from '../../../src/compose/index.js';
import { formatProblem, ValidationError } from '../../../src/errors.js';
import { validateSuite } from '../../../src/suite/validate.js';
import { MAX_YAML_BYTES } from '../../../src/yaml/read.js';
import { memfs } from '../compose/memfs.js';

async function composeProblems(yaml: string): Promise<string[]> {
  const e = await loadProjectWith(memfs({ '/p/compose.yaml': yaml }), { cwd: '/p', env: {} }).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(ValidationError);
  return (e as ValidationError).problems.map(formatProblem);
}
const suiteProblems = (text: string) => validateSuite(text, 'suite.yaml', {}).problems.map(formatProblem);

const BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');

describe('YAML syntax errors point at the construct left open', () => {
  it('an unclosed [ on line 3 is reported at line 3, not at the end of the file', async () => {
    expect(await composeProblems('services:\n  web:\n    image: [unclosed\n    ports:\n      - "80"\n  db:\n    image: postgres\n')).toEqual([
      'compose.yaml:3: YAML syntax error at line 3, column 12: this flow sequence is never closed with ]',
    ]);
  });

  it('the same for { and quotes, nested or at the end of the file', async () => {
    expect(await composeProblems("services:\n  web:\n    image: 'unclosed\n    ports:\n      - x\n")).toEqual([
      "compose.yaml:3: YAML syntax error at line 3, column 12: this single-quoted string is never closed with '",
    ]);
    expect(suiteProblems('name: s\nchecks: [1, {c: 2\n')).toEqual([
      'suite.yaml:2: YAML syntax error at line 2, column 13: this flow mapping is never closed with }',
      'suite.yaml:2: YAML syntax error at line 2, column 9: this flow sequence is never closed with ]',
    ]);
  });

  it('other syntax errors keep their own line', async () => {
    expect(await composeProblems('services:\n  web:\n    image: x\n   bad: indentation\n')).toEqual([
      'compose.yaml:4: YAML syntax error at line 4, column 1: All mapping items must start at the same column',
    ]);
  });

  it('refuses several documents in one file', () => {
    expect(suiteProblems('checks: []\n---\nchecks: []\n')).toEqual(['suite.yaml:2: holds several YAML documents; a suite is one']);
  });

  it('reports duplicate keys with both lines', async () => {
    expect(await composeProblems('services:\n  web:\n    image: x\n  web:\n    image: y\n')).toEqual([
      'compose.yaml:4: duplicate key "web" (first on line 2); YAML keys must be unique',
    ]);
  });
});

describe('hostile YAML is bounded', () => {
  it('refuses an alias bomb in a suite, naming the file (as in a compose file)', async () => {
    expect(suiteProblems(`${BOMB}\nchecks: [*i]\n`)).toEqual(['suite.yaml: YAML aliases expand to more than 10000 nodes (an alias bomb?); refused']);
    expect(await composeProblems(`x-bomb:\n  ${BOMB.replaceAll('\n', '\n  ')}\nservices: {web: {image: x}}\n`)).toEqual([
      'compose.yaml: YAML aliases expand to more than 10000 nodes (an alias bomb?); refused',
    ]);
  });

  it('reports deep nesting as too deep, not as a stack overflow', async () => {
    const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    for (const n of [100, 20_000]) {
      expect(await composeProblems(`services:\n  web:\n    image: x\n    labels:\n      a: ${deep(n)}\n`)).toEqual([expect.stringMatching(/^compose\.yaml(:5)?: nested too deeply \(more than 64 levels\)$/)]);
      expect(suiteProblems(`checks: ${deep(n)}\n`)).toEqual([expect.stringMatching(/^suite\.yaml(:1)?: nested too deeply \(more than 64 levels\)$/)]);
    }
    const block = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(suiteProblems(`${block}\n`)).toEqual(['suite.yaml:65: nested too deeply (more than 64 levels)']);
    // Aliases of aliases nest deeper than the text.
    const half = (inner: string) => `${'['.repeat(40)}${inner}${']'.repeat(40)}`;
    expect(suiteProblems(`checks:\n  - name: &a ${half('1')}\n  - name: ${half('*a')}\n`)).toEqual(['suite.yaml: nested too deeply (more than 64 levels)']);
  });

  it('refuses binary data and raw control characters without echoing them', async () => {
    const garbage = `services:\n  web:\n    image: x\n${String.fromCharCode(0, 1, 2, 0xfffd)}\u001b[2J: 1\n`;
    const problems = await composeProblems(garbage);
    expect(problems).toEqual(['compose.yaml:4: is not a text file (binary data on line 4); a compose file is YAML text']);
    expect(suiteProblems('name: "a\u001b[31m"\nchecks: []\n')).toEqual([
      'suite.yaml:1: holds a raw control character (U+001B) on line 1; write it escaped inside double quotes, e.g. "\\u001b"',
    ]);
  });

  it(`refuses a file larger than ${MAX_YAML_BYTES / 1024 / 1024} MiB before parsing it`, async () => {
    const big = `services:\n  web:\n    image: x\nx-pad: "${'a'.repeat(5 * 1024 * 1024)}"\n`;
    expect(await composeProblems(big)).toEqual(['compose.yaml: is larger than 4 MiB, the most envtest reads for a compose file']);
    expect(suiteProblems(`# ${'a'.repeat(MAX_YAML_BYTES)}\nchecks: []\n`)).toEqual(['suite.yaml: is larger than 4 MiB, the most envtest reads for a suite']);
  });
});

describe('suites accept the << merge key, as compose files do', () => {
  it('merges a shared mapping into each check', () => {
    const r = validateSuite(
      'checks:\n  - &common\n    name: a\n    target: api:80\n    timeout: 3s\n    tcp: {}\n  - <<: *common\n    name: b\n',
      'suite.yaml',
      {},
    );
    expect(r.problems).toEqual([]);
    expect(r.suite!.checks.map((c) => [c.name, c.target, c.timeoutMs])).toEqual([
      ['a', 'api:80', 3000],
      ['b', 'api:80', 3000],
    ]);
  });
});
