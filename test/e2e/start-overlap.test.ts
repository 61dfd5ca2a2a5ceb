// The start does not wait for work a service does not need: a service that builds nothing runs
// while another's build is still going, and a build that then fails still tears everything down.
// The check sidecar is started while the stack comes up, once the services that wait for nothing have started. Ordering is read from the engine
// (StartedAt, image Created, its event log) against the run's own report, never timed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, fixture, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';
import { tempStacks } from '../support/temp-stack.js';

const runId = runIdsRemovedAfterAll(afterAll);
const { stack, images } = tempStacks(afterAll, 'envtest-overlap-');

/** `quick` runs a present image; `slow` builds for a few seconds, uncached (a fresh NONCE each run). */
function quickAndSlow(project: string, step: string): string {
  return stack({
    'compose.yaml': [
      `name: ${project}`,
      'services:',
      '  quick:',
      '    image: envtest/base:bookworm',
      '    command: ["sleep", "infinity"]',
      '  slow:',
      '    build: { context: ./slow, args: { NONCE: "${NONCE:-0}" } }',
      '    command: ["sleep", "infinity"]',
      '',
    ].join('\n'),
    'slow/Dockerfile': `FROM envtest/base:bookworm\nARG NONCE\nRUN echo "build $NONCE" && ${step}\n`,
  });
}

const containerOf = (id: string, service: string) => docker(['ps', '-aq', '--filter', `label=envtest.run=${id}`, '--filter', `label=envtest.service=${service}`]);

describe('each service starts once its own image and dependencies are ready', () => {
  it('a service that builds nothing is running before a slow build of another has finished', async () => {
    const project = `overlap${process.pid}`;
    images.push(`${project}-slow`);
    const id = runId('overlap');
    const result = await envtest(['up', '-f', quickAndSlow(project, 'sleep 4'), '--run-id', id], { env: { NONCE: id } });
    expect(result.exitCode, result.all).toBe(0);
    const quickStarted = Date.parse(await docker(['inspect', await containerOf(id, 'quick'), '--format', '{{.State.StartedAt}}']));
    const slowBuilt = Date.parse(await docker(['image', 'inspect', `${project}-slow`, '--format', '{{.Created}}']));
    expect(quickStarted).toBeLessThan(slowBuilt);
    // The progress says so too: quick started before slow's image was built.
    expect(result.stderr.indexOf('quick started')).toBeGreaterThan(-1);
    expect(result.stderr.indexOf('quick started')).toBeLessThan(result.stderr.indexOf(`built ${project}-slow`));
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('a build that fails after another service started fails the start (exit 3) and removes that service', async () => {
    const project = `overlapfail${process.pid}`;
    const id = runId('overlapfail');
    const result = await envtest(['up', '-f', quickAndSlow(project, 'sleep 3 && exit 7'), '--run-id', id], { env: { NONCE: id } });
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('quick started');
    expect(result.stderr).toMatch(new RegExp(`service slow: building image ${project}-slow failed`));
    expect(await leftovers(id)).toEqual([]);
  });
});

describe('the check sidecar is made while the stack starts', () => {
  it('is started once the services that wait for nothing have started, before the last service is ready, and the checks still pass', async () => {
    const id = runId('sidecarearly');
    const artifacts = mkdtempSync(join(tmpdir(), 'envtest-sidecar-early-'));
    // `api` waits for nothing (the first wave); `worker` waits for it to start, then takes 1 s to count as ready.
    const file = stack({
      'compose.yaml': [
        'name: tiny',
        'services:',
        '  api:',
        '    image: envtest/base:bookworm',
        '    command: ["sh", "-c", "echo api up; exec sleep infinity"]',
        '  worker:',
        '    image: envtest/base:bookworm',
        '    command: ["sleep", "infinity"]',
        '    depends_on: [api]',
        '',
      ].join('\n'),
    });
    try {
      const since = Math.floor(Date.now() / 1000) - 1;
      const result = await envtest(['run', '-f', file, '--checks', fixture('suite-tiny-passing.yaml'), '--run-id', id, '--artifacts', artifacts]);
      expect(result.exitCode, result.all).toBe(0);
      const report = JSON.parse(readFileSync(join(artifacts, id, 'report.json'), 'utf8')) as { environmentStartedAt: number; services: { readyMs: number }[] };
      const lastReady = report.environmentStartedAt + Math.max(...report.services.map((s) => s.readyMs));
      // The engine's own record of when each container was started (they are gone by now).
      const events = await docker(['events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', `label=envtest.run=${id}`, '--filter', 'event=create', '--filter', 'event=start', '--format', '{{.Action}} {{index .Actor.Attributes "envtest.role"}} {{index .Actor.Attributes "envtest.service"}} {{.TimeNano}}']);
      const when = (action: string, role: string, service = '') => {
        const line = events.split('\n').find((l) => l.startsWith(`${action} ${role} ${service} `));
        expect(line, events).toBeDefined();
        return Number(BigInt(line!.split(' ').at(-1)!) / 1_000_000n);
      };
      // Not made beside api's start, which is the critical path, but after it.
      expect(when('create', 'sidecar')).toBeGreaterThanOrEqual(when('start', 'service', 'api'));
      expect(when('start', 'sidecar')).toBeLessThan(lastReady);
      expect(await leftovers(id)).toEqual([]);
    } finally {
      rmSync(artifacts, { recursive: true, force: true });
    }
  });
});
