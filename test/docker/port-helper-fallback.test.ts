// The port helper runs a sh loop where its image has /bin/sh, and falls back to the node script
// where the engine says it has none; both read a real service's namespace on the real engine.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/library/engine.js';
import { readListeners } from '../../src/orchestrator/ports/listeners.js';
import { waitUntilListening } from '../../src/orchestrator/ports/port-readiness.js';

const SIDECAR = 'envtest/sidecar:latest';
const runId = `helper-${randomBytes(3).toString('hex')}`;
const noShell = `envtest-test/no-shell:${runId}`;

afterAll(async () => {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=envtest.run=${runId}`]);
  if (stdout.trim()) await execa('docker', ['rm', '-f', ...stdout.trim().split('\n')]);
  await execa('docker', ['image', 'rm', '-f', noShell], { reject: false });
});

describe('the port helper on the real engine', () => {
  it('reads a service\'s listeners with an image that has /bin/sh, and with one that has only node', async () => {
    await execa('docker', ['build', '-q', '-t', noShell, '--label', `envtest.run=${runId}`, '-'], { input: `FROM ${SIDECAR}\nRUN rm /bin/sh\n` });
    const { exitCode } = await execa('docker', ['run', '--rm', '--entrypoint', '/bin/sh', noShell, '-c', 'true'], { reject: false });
    expect(exitCode, 'the image without a shell still has one').not.toBe(0);
    const { stdout: containerId } = await execa('docker', [
      'run', '-d', '--label', `envtest.run=${runId}`, SIDECAR, 'node', '-e', "require('net').createServer().listen(8123, '127.0.0.1')",
    ]);
    // The same engine as a remote one looks: its socket tables only through a helper container.
    const engine = connectEngine();
    const runtime = new Proxy(engine, { get: (t, key) => (key === 'localSocketTables' ? undefined : Reflect.get(t, key, t)) });
    const target = { runId, project: 'helper', service: 'svc', containerId: containerId.trim() };
    const since = String(Math.floor(Date.now() / 1000) - 1);
    for (const image of [SIDECAR, noShell]) {
      await waitUntilListening(runtime, target, image, [8123], AbortSignal.timeout(30_000));
      const sockets = await readListeners(runtime, target, image, AbortSignal.timeout(30_000));
      expect(sockets, image).toContainEqual({ protocol: 'tcp', address: '127.0.0.1', port: 8123 });
    }
    // Two helpers each: the shell's failed start costs the image without one an extra container per helper.
    const { stdout: created } = await execa('docker', [
      'events', '--since', since, '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', 'type=container', '--filter', 'event=create',
      '--filter', `label=envtest.role=helper`, '--filter', `label=envtest.run=${runId}`, '--format', '{{.Actor.Attributes.image}}',
    ]);
    const images = created.trim().split('\n');
    expect(images.filter((i) => i === SIDECAR)).toHaveLength(2);
    expect(images.filter((i) => i === noShell)).toHaveLength(4);
  }, 120_000);
});
