// The engine-socket guard: the socket itself or any directory above it, through symlinks. The real-engine side is in test/e2e/hostile-input.test.ts.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProjectWith } from '../../../src/compose/index.js';
import { formatProblem, ValidationError } from '../../../src/errors.js';
import { refuseEngineSocket } from '../../../src/orchestrator/spec/engine-socket.js';
import { memfs } from '../compose/memfs.js';

// A host of our own: <root>/run/engine.sock, <root>/var/run -> ../run, <root>/alias -> the socket.
const root = mkdtempSync(join(tmpdir(), 'envtest-socket-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'run'));
mkdirSync(join(root, 'var'));
mkdirSync(join(root, 'data'));
writeFileSync(join(root, 'run/engine.sock'), '');
symlinkSync('../run', join(root, 'var/run'));
symlinkSync(join(root, 'run/engine.sock'), join(root, 'alias'));
const engineEndpoint = `unix://${root}/run/engine.sock`;

async function refusals(volumes: string[]): Promise<string[]> {
  const yaml = `services:\n  web:\n    image: x\n    volumes:\n${volumes.map((v) => `      - ${JSON.stringify(v)}\n`).join('')}`;
  const loaded = await loadProjectWith(memfs({ '/p/compose.yaml': yaml }), { cwd: '/p', env: {} });
  try {
    refuseEngineSocket(loaded.project, { engineEndpoint, locate: loaded.locate });
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).problems.map(formatProblem);
  }
}

const refusal = (line: number, i: number, what: string) =>
  `compose.yaml:${line} services.web.volumes[${i}]: mounts ${what}; envtest refuses that so a test stack cannot control the engine. Pass --allow-engine-socket if the service really needs it`;

describe('engine-socket guard', () => {
  it('refuses every parent of the socket the run talks to, through symlinks, naming service, mount, file and line', async () => {
    expect(await refusals([`${root}/var/run:/hostrun:ro`, `${root}:/r`, '/:/rootfs', `${root}/alias:/s`, `${root}/data:/data`])).toEqual([
      refusal(5, 0, `${root}/var/run, which holds the container engine socket (${root}/run/engine.sock)`),
      refusal(6, 1, `${root}, which holds the container engine socket (${root}/run/engine.sock)`),
      refusal(7, 2, `/, which holds the container engine socket (${root}/run/engine.sock)`),
      refusal(8, 3, `${root}/alias, which holds the container engine socket (${root}/run/engine.sock)`),
    ]);
  });

  it('guards the default socket and its parents too (the engine host usually has it)', async () => {
    expect(await refusals(['/var/run:/hostrun:ro', '/run/docker.sock:/s'])).toEqual([
      refusal(5, 0, '/var/run, which holds the container engine socket (/var/run/docker.sock)'),
      refusal(6, 1, 'the container engine socket (/run/docker.sock)'),
    ]);
  });

});
