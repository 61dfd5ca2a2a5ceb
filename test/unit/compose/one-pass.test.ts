// Every problem in one pass: a file whose own checks fail still goes through the project-level
// checks, without the broken parts raising second, misleading problems.
import { describe, expect, it } from 'vitest';
import { loadProjectWith, type FileSystem } from '../../../src/compose/index.js';
import { ValidationError } from '../../../src/errors.js';

const load = async (text: string) => {
  const files: Record<string, string> = { '/p/compose.yaml': text };
  const fs: FileSystem = { read: async (p) => files[p], exists: async (p) => p in files };
  try {
    await loadProjectWith(fs, { cwd: '/p', env: {} });
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
    throw e;
  }
  return [];
};

describe('one pass', () => {
  it('reports file-level and project-level problems together', async () => {
    expect(
      await load(`services:
  web:
    image: nginx
    ports: ["80:abc"]
    mem_limit: lots
    depends_on: [api]
  api:
    command: ["run"]
`),
    ).toEqual([
      '5 services.web.mem_limit: the string "lots" is not valid: expected a byte size such as "64m", "1g" or a number of bytes',
      '4 services.web.ports.0: "80:abc": "abc" is not a port number or range',
      '7 services.api: has neither "image" nor "build": set one of them',
    ]);
  });

  it('does not blame services that depend on a broken one', async () => {
    const problems = await load(`services:
  db:
    image: 12
  api:
    image: app
    depends_on: [db]
`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^3 services\.db\.image: /);
  });
});

describe('environment lists', () => {
  it('refuse an entry with no name before "="', async () => {
    expect(await load('services:\n  web:\n    image: x\n    environment: ["=x", "OK=1"]\n')).toEqual(['4 services.web.environment.0: "=x" has no name before "="; write NAME=value']);
  });
});
