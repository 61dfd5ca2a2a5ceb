// A local engine's container read from this machine's /proc: the same sockets a helper container
// sees from inside the namespace, and nothing once the container's process is gone.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/library/engine.js';
import { readListeners } from '../../src/orchestrator/ports/listeners.js';
import { listeningSockets } from '../../src/orchestrator/ports/proc-net.js';

const SIDECAR = 'envtest/sidecar:latest';
const runId = `hostproc-${randomBytes(3).toString('hex')}`;

afterAll(async () => {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=envtest.run=${runId}`]);
  if (stdout.trim()) await execa('docker', ['rm', '-f', ...stdout.trim().split('\n')]);
});

describe('socket tables from the engine host’s /proc', () => {
  it('reads what a helper in the namespace reads, without starting one, and stops at the container’s end', async () => {
    const server = "const net = require('net'); net.createServer().listen(8123, '127.0.0.1'); net.createServer().listen(8124); require('dgram').createSocket('udp4').bind(5353)";
    const { stdout } = await execa('docker', ['run', '-d', '--label', `envtest.run=${runId}`, SIDECAR, 'node', '-e', server]);
    const containerId = stdout.trim();
    const engine = connectEngine();
    const read = await engine.localSocketTables!(containerId);
    expect(read, 'this engine is local: its containers are processes of this machine').toBeDefined();
    const sockets = async () => listeningSockets(await read!()).filter((s) => s.port !== 0 && !s.address.startsWith('127.0.0.11'));
    await expect.poll(async () => (await sockets()).length, { timeout: 15_000 }).toBe(3);

    const helperOnly = new Proxy(engine, { get: (t, key) => (key === 'localSocketTables' ? undefined : Reflect.get(t, key, t)) });
    const target = { runId, project: 'hostproc', service: 'svc', containerId };
    const seenByHelper = await readListeners(helperOnly, target, SIDECAR, AbortSignal.timeout(30_000));
    const byKey = (list: { protocol: string; address: string; port: number }[]) => list.map((s) => `${s.protocol} ${s.address}:${s.port}`).sort();
    expect(byKey(await sockets())).toEqual(byKey(seenByHelper.filter((s) => !s.address.startsWith('127.0.0.11'))));
    expect(byKey(await sockets())).toEqual(['tcp 127.0.0.1:8123', 'tcp :::8124', 'udp 0.0.0.0:5353']);

    await execa('docker', ['kill', containerId]);
    await expect(read!()).rejects.toThrow(/is gone/);
    expect(await engine.localSocketTables!(containerId), 'a stopped container has no process to read').toBeUndefined();
  }, 90_000);
});
