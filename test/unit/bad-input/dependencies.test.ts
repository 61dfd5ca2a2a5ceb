// depends_on problems name file and line like every other compose problem.
import { describe, expect, it } from 'vitest';
import { loadProjectWith } from '../../../src/compose/index.js';
import { formatProblem, ValidationError } from '../../../src/errors.js';
import { planStart } from '../../../src/planner/plan.js';
import { memfs } from '../compose/memfs.js';

async function problems(yaml: string): Promise<string[]> {
  const loaded = await loadProjectWith(memfs({ '/p/compose.yaml': yaml }), { cwd: '/p', env: {} });
  let e: unknown;
  try {
    planStart(loaded.project, loaded.locate);
  } catch (err) {
    e = err;
  }
  expect(e).toBeInstanceOf(ValidationError);
  return (e as ValidationError).problems.map(formatProblem);
}

describe('depends_on problems', () => {
  it('a missing service, with did-you-mean', async () => {
    expect(await problems('services:\n  web:\n    image: x\n    depends_on: [dbb]\n  db:\n    image: x\n')).toEqual([
      'compose.yaml:4 services.web.depends_on: depends on unknown service "dbb" (did you mean "db"?)',
    ]);
  });

  it('a self-dependency and a cycle', async () => {
    expect(await problems('services:\n  web:\n    image: x\n    depends_on: [web]\n')).toEqual(['compose.yaml:4 services.web.depends_on: depends on itself']);
    expect(await problems('services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    links: [a]\n')).toEqual([
      'compose.yaml:4 services.a.depends_on: dependency cycle: a -> b -> a',
    ]);
  });
});
