// A run asks the engine about the sidecar image once: resolving it, trying a named one for node,
// the reaper, the port helper, the inventory and the sidecar all share the answer. Counted on the
// real engine through the library's run, the path `envtest run` takes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { connectEngine, type Backend } from '../../src/library/engine.js';
import { prepareRun, startRun } from '../../src/library/run.js';
import { loadSuites } from '../../src/library/suites.js';
import { fixture, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const runId = runIdsRemovedAfterAll(afterAll);
const dir = mkdtempSync(join(tmpdir(), 'envtest-lookups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The real engine, counting `imageExists` per image. */
function counting(runtime: Backend): { runtime: Backend; lookups: Map<string, number> } {
  const lookups = new Map<string, number>();
  const proxy = new Proxy(runtime, {
    get(target, key) {
      if (key === 'imageExists') {
        return (ref: string) => {
          lookups.set(ref, (lookups.get(ref) ?? 0) + 1);
          return target.imageExists(ref);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { runtime: proxy, lookups };
}

describe('the sidecar image during a run', () => {
  it.each([
    // With ports, the inventory's helper and prober use it too (stack-tiny listens on nothing, so no findings).
    ['named (tried for node first), with the port inventory', { sidecarImage: 'envtest/sidecar:latest', ports: true }],
    ['the default', {}],
  ])('is looked up once: %s', async (_name, extra) => {
    const id = runId('lookups');
    const prepared = await prepareRun({
      files: [fixture('stack-tiny.yaml')],
      runId: id,
      suites: await loadSuites([fixture('suite-tiny-passing.yaml')]),
      artifactsDir: join(dir, 'runs'),
      ...extra,
    });
    const { runtime, lookups } = counting(connectEngine());
    const outcome = await startRun(prepared, { runtime, logger: pino({ level: 'silent' }) });
    expect(outcome.error).toBeUndefined();
    expect(outcome.report.status).toBe('passed');
    expect(lookups.get('envtest/sidecar:latest')).toBe(1);
    expect(await leftovers(id)).toEqual([]);
  });
});
