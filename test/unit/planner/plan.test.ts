import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import type { ComposeProject, ServiceConfig } from '../../../src/model/project.js';
import { planStart } from '../../../src/planner/plan.js';

const started = { condition: 'service_started', required: true, restart: false } as const;
const healthy = { condition: 'service_healthy', required: true, restart: false } as const;
const completed = { condition: 'service_completed_successfully', required: true, restart: false } as const;

function project(services: Record<string, ServiceConfig>): ComposeProject {
  return { name: 'p', services };
}

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('planStart', () => {
  it('layers services by their deepest dependency and keeps each condition', () => {
    const plan = planStart(
      project({
        db: { image: 'pg' },
        cache: { image: 'redis' },
        migrate: { image: 'm', depends_on: { db: healthy } },
        api: { image: 'a', depends_on: { migrate: completed, cache: started } },
        web: { image: 'w', depends_on: { api: started } },
      }),
    );
    expect(plan.layers).toEqual([['cache', 'db'], ['migrate'], ['api'], ['web']]);
    expect(plan.waitsFor.api).toEqual([
      { service: 'migrate', condition: 'service_completed_successfully', required: true },
      { service: 'cache', condition: 'service_started', required: true },
    ]);
    expect(plan.waitsFor.db).toEqual([]);
  });

  it('treats links, network_mode service: and volumes_from as start-order edges', () => {
    const plan = planStart(
      project({
        a: { image: 'x' },
        b: { image: 'x', links: ['a:alias'] },
        c: { image: 'x', network_mode: 'service:b' },
        d: { image: 'x', volumes_from: ['c:ro', 'container:foreign'] },
      }),
    );
    expect(plan.layers).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('names every service of a cycle, in order', () => {
    const e = errorOf(() =>
      planStart(
        project({
          api: { image: 'x', depends_on: { db: started } },
          db: { image: 'x', depends_on: { gateway: started } },
          gateway: { image: 'x', depends_on: { api: started } },
          other: { image: 'x' },
        }),
      ),
    );
    expect(e.message).toBe('invalid compose project: services.api.depends_on: dependency cycle: api -> db -> gateway -> api');
  });

  it('refuses an unknown required dependency with a suggestion', () => {
    const e = errorOf(() => planStart(project({ api: { image: 'x', depends_on: { dbb: started } }, db: { image: 'x' } })));
    expect(e.problems).toEqual([{ path: 'services.api.depends_on', message: 'depends on unknown service "dbb" (did you mean "db"?)' }]);
  });

  it('warns about, and skips, a missing optional dependency', () => {
    const plan = planStart(project({ api: { image: 'x', depends_on: { metrics: { ...started, required: false } } } }));
    expect(plan.layers).toEqual([['api']]);
    expect(plan.waitsFor.api).toEqual([]);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]!.message).toContain('optional dependency "metrics"');
  });
});
