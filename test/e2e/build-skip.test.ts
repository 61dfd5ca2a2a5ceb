// A build whose inputs did not change is not run again: the image carries the hash of what built it
// (envtest.build-hash). Observed on the engine (the image's Created stays) and in the progress.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';
import { tempStacks } from '../support/temp-stack.js';

const runId = runIdsRemovedAfterAll(afterAll);
const { stack, images } = tempStacks(afterAll, 'envtest-build-skip-');

describe('an unchanged build is skipped', () => {
  it('the second up reuses the image; a changed file in the context rebuilds; --build forces', async () => {
    const project = `skip${process.pid}`;
    const image = `${project}-app`;
    images.push(image);
    const file = stack({
      'compose.yaml': `name: ${project}\nservices:\n  app:\n    build: { context: ./app, args: { GREETING: hello } }\n    command: ["sleep", "infinity"]\n`,
      'app/Dockerfile': 'FROM envtest/base:bookworm\nARG GREETING\nCOPY . /app\nRUN echo "$GREETING" > /greeting\n',
      'app/data.txt': 'one\n',
      'app/.dockerignore': 'ignored.txt\n',
    });
    const created = () => docker(['image', 'inspect', image, '--format', '{{.Created}}']);
    const up = async (extra: string[] = []) => {
      const id = runId('skip');
      const result = await envtest(['up', '-f', file, '--run-id', id, ...extra]);
      expect(result.exitCode, result.all).toBe(0);
      expect((await envtest(['down', id])).exitCode).toBe(0);
      expect(await leftovers(id)).toEqual([]);
      return result.stderr;
    };

    expect(await up()).toContain(`building ${image}`);
    const first = await created();
    expect(await docker(['image', 'inspect', image, '--format', '{{index .Config.Labels "envtest.build-hash"}}'])).toMatch(/^[0-9a-f]{64}$/);

    const again = await up();
    expect(again).not.toContain(`building ${image}`);
    expect(again).toContain(`${image} unchanged`);
    expect(await created()).toBe(first);

    // A file the .dockerignore leaves out is not part of the build.
    writeFileSync(join(dirname(file), 'app/ignored.txt'), 'noise\n');
    expect(await up()).not.toContain(`building ${image}`);

    writeFileSync(join(dirname(file), 'app/data.txt'), 'two\n');
    expect(await up()).toContain(`building ${image}`);
    const rebuilt = await created();
    expect(rebuilt).not.toBe(first);

    expect(await up(['--build'])).toContain(`building ${image}`);
  });
});
