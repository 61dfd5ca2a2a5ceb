// The end of a run: its artifacts are written while the reaper goes (and reproduce.json while the
// teardown runs), yet the run returns only once all of it is done, and a teardown that fails still
// leaves every artifact written.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComposeProject } from '../../../src/model/project.js';
import type { Suite } from '../../../src/model/suite.js';
import { runSuites } from '../../../src/orchestrator/lifecycle/run.js';
import { FakeRuntime } from './fake-runtime.js';

const project: ComposeProject = { name: 'p', services: { one: { image: 'x' } } };
const logger = pino({ level: 'silent' });
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the end of a run', () => {
  it('returns only once the artifacts are written and the reaper is gone too', async () => {
    dir = mkdtempSync(join(tmpdir(), 'envtest-run-end-'));
    const runtime = new FakeRuntime();
    let reaperRemovedBeforeReport = false;
    const removeContainer = runtime.removeContainer.bind(runtime);
    runtime.removeContainer = async (id: string) => {
      const reaper = runtime.containers.get(id)?.spec.labels['envtest.role'] === 'reaper';
      // Slower than writing the artifacts: the run must still wait for it.
      if (reaper) await new Promise((r) => setTimeout(r, 200));
      if (reaper) reaperRemovedBeforeReport = existsSync(join(dir, 'r1', 'report.json'));
      await removeContainer(id);
    };
    const outcome = await runSuites({ runtime, project, runId: 'r1', suites: [], artifactsDir: dir, logger, reaper: { image: 'x' } });
    expect(outcome.error).toBeUndefined();
    expect(runtime.resourceCount).toBe(0);
    // The artifacts were written while the reaper was being removed, not after.
    expect(reaperRemovedBeforeReport).toBe(true);
    for (const file of ['report.json', 'reproduce.json', 'metrics.json', 'junit.xml']) expect(existsSync(join(dir, 'r1', file)), file).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'r1', 'report.json'), 'utf8')).teardown.remaining).toBe(0);
  });

  it('lets go of the sidecar after a start that failed and is kept: removed, its held stdin closed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'envtest-run-end-'));
    const runtime = new FakeRuntime({ exitsAtStart: { late: 1 } });
    const stack: ComposeProject = {
      name: 'p',
      services: { first: { image: 'x' }, late: { image: 'x', depends_on: { first: { condition: 'service_started', required: true, restart: false } } } },
    };
    // A suite, so that the sidecar starts beside the stack once `first` has started.
    const suites = [{ name: 's', file: 's.yaml', checks: [] }] as unknown as Suite[];
    const outcome = await runSuites({ runtime, project: stack, runId: 'r3', suites, artifactsDir: dir, logger, keepOnFailure: true });
    expect(String(outcome.error)).toContain('late');
    const roles = [...runtime.containers.values()].map((c) => c.spec.labels['envtest.role']);
    expect(roles.filter((r) => r === 'service')).toHaveLength(2);
    expect(roles).not.toContain('sidecar');
    // A held stdin left open would keep a library caller's process alive.
    expect(runtime.released).toContain('sidecar');
  });

  it('writes every artifact when the teardown fails, and says why the run failed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'envtest-run-end-'));
    const runtime = new FakeRuntime();
    const list = runtime.list.bind(runtime);
    let calls = 0;
    // The run id check is the first list; the teardown's is the second: the engine is gone by then.
    runtime.list = async (selector) => {
      if (++calls > 1) throw new Error('the engine went away');
      return list(selector);
    };
    const outcome = await runSuites({ runtime, project, runId: 'r2', suites: [], artifactsDir: dir, logger });
    expect(String(outcome.error)).toContain('the engine went away');
    for (const file of ['report.json', 'reproduce.json', 'metrics.json', 'junit.xml', 'report.html']) expect(existsSync(join(dir, 'r2', file)), file).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'r2', 'report.json'), 'utf8'));
    expect(report.status).toBe('error');
    expect(report.error).toContain('the engine went away');
  });
});
