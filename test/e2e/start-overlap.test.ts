// The start does not wait for work a service does not need: a service that builds nothing runs
// while another's build is still going, and a build that then fails still tears everything down.
// Ordering is read from the engine (container StartedAt against the image's Created), never timed.
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';
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
