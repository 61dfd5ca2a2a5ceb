// Builds through the CLI on the real engine: the context sent is the one `docker build` sends
// (.dockerignore with the engine's rules), and a failing build is the environment's failure (exit 3).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, leftovers, repoRoot, runIdsRemovedAfterAll } from '../support/cli.js';
import { tempStacks } from '../support/temp-stack.js';

const runId = runIdsRemovedAfterAll(afterAll);
const { stack, images } = tempStacks(afterAll, 'envtest-build-');

const containerOf = (id: string, service: string) => docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', `label=envtest.service=${service}`]);
const filesIn = async (id: string, service: string, dir: string) =>
  (await docker(['exec', await containerOf(id, service), 'find', dir, '-type', 'f'])).split('\n').sort();

const COPY_ALL = 'FROM envtest/base:bookworm\nCOPY . /ctx\nCMD ["sleep", "infinity"]\n';

describe('build contexts follow .dockerignore as the engine does', () => {
  it('a stack outside the repo builds through `*` then `!server.js` `!Dockerfile`, and `**/node_modules` drops the top-level one', async () => {
    const project = `ctx${process.pid}`;
    images.push(`${project}-negated`, `${project}-modules`);
    const file = stack({
      'compose.yaml': `name: ${project}\nservices:\n  negated:\n    build: ./negated\n  modules:\n    build: ./modules\n`,
      'negated/.dockerignore': '*\n!server.js\n!Dockerfile\n',
      'negated/Dockerfile': COPY_ALL,
      'negated/server.js': 'console.log(1)\n',
      'negated/secret.env': 'TOKEN=1\n',
      'negated/lib/util.js': '',
      'modules/.dockerignore': '**/node_modules\n',
      'modules/Dockerfile': COPY_ALL,
      'modules/node_modules/left-pad/index.js': '',
      'modules/pkg/node_modules/x.js': '',
      'modules/pkg/index.js': '',
    });
    const id = runId('ctx');
    const result = await envtest(['up', '-f', file, '--run-id', id]);
    expect(result.exitCode, result.all).toBe(0);
    expect(await filesIn(id, 'negated', '/ctx')).toEqual(['/ctx/Dockerfile', '/ctx/server.js']);
    expect(await filesIn(id, 'modules', '/ctx')).toEqual(['/ctx/.dockerignore', '/ctx/Dockerfile', '/ctx/pkg/index.js']);
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it("the example's api builds through its negated .dockerignore", async () => {
    const project = `exapi${process.pid}`;
    images.push(`${project}-api`);
    const file = stack({ 'compose.yaml': `name: ${project}\nservices:\n  api:\n    build: ${join(repoRoot, 'compose/api')}\n    command: ["sleep", "infinity"]\n` });
    const id = runId('exapi');
    const result = await envtest(['up', '-f', file, '--run-id', id]);
    expect(result.exitCode, result.all).toBe(0);
    expect(await filesIn(id, 'api', '/app')).toEqual(['/app/server.js']);
    expect((await envtest(['down', id])).exitCode).toBe(0);
  });
});

describe('a failing build is an environment failure', () => {
  it('a failing step exits 3 naming the service and the engine reason', async () => {
    const project = `buildfail${process.pid}`;
    const file = stack({
      'compose.yaml': `name: ${project}\nservices:\n  web:\n    build: ./web\n`,
      'web/Dockerfile': 'FROM envtest/base:bookworm\nRUN exit 7\n',
    });
    const id = runId('buildfail');
    const result = await envtest(['up', '-f', file, '--run-id', id]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toMatch(/service web: building image buildfail\d+-web failed: .*returned a non-zero code: 7/);
    expect(result.stderr).not.toContain('internal error');
    expect(await leftovers(id)).toEqual([]);
  });

  it('a Dockerfile the engine cannot find exits 3 naming the service, not as an internal error', async () => {
    const project = `nodockerfile${process.pid}`;
    const file = stack({
      'compose.yaml': `name: ${project}\nservices:\n  web:\n    build:\n      context: ./web\n      dockerfile: missing.Dockerfile\n`,
      'web/app.txt': '',
    });
    const id = runId('nodockerfile');
    const result = await envtest(['up', '-f', file, '--run-id', id]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('service web: building image');
    expect(result.stderr).not.toContain('internal error');
    expect(await leftovers(id)).toEqual([]);
  });
});
