// Engine calls that can block take the run's signal: with an engine that stops answering (a relay
// in this process that holds every request), an abort ends start, inspect, putArchive and attach at
// once instead of when the engine gets round to it. An attachment already made outlives a later
// abort: a reaper's stdin must close only when envtest lets go of it.
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../src/runtime/docker/docker-runtime.js';
import { leftovers, uniqueRunId } from '../support/cli.js';

const runId = uniqueRunId('abortcalls');
const direct = new DockerRuntime({ ...process.env, DOCKER_HOST: 'unix:///var/run/docker.sock' });
let relay: Server;
let stalled = false;
const held: Socket[] = [];
let slow: DockerRuntime;
let container = '';

beforeAll(async () => {
  const socket = join(mkdtempSync(join(tmpdir(), 'envtest-stall-')), 'engine.sock');
  relay = createServer((client) => {
    if (stalled) return void held.push(client); // accepted, never answered: an engine that hangs
    const engine = createConnection('/var/run/docker.sock');
    client.pipe(engine).pipe(client);
    client.on('error', () => engine.destroy());
    engine.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(socket, resolve));
  slow = new DockerRuntime({ ...process.env, DOCKER_HOST: `unix://${socket}` });
  container = await direct.createContainer({
    name: `${runId}-cat`,
    image: 'envtest/base:bookworm',
    labels: { 'envtest.run': runId },
    command: ['cat'],
    networks: [],
    networkMode: 'none',
    stdinOnce: true,
  });
});

afterAll(async () => {
  for (const c of held) c.destroy();
  relay?.close();
  await direct.removeContainer(container).catch(() => undefined);
  expect(await leftovers(runId)).toEqual([]);
});

/** How long the call took to reject after the abort, which comes 100 ms after the call. */
async function abortedAfter(call: (signal: AbortSignal) => Promise<unknown>): Promise<number> {
  stalled = true;
  const controller = new AbortController();
  const pending = call(controller.signal);
  pending.catch(() => undefined);
  await new Promise((r) => setTimeout(r, 100));
  const at = Date.now();
  controller.abort(new Error('interrupted'));
  await expect(pending).rejects.toThrow();
  stalled = false;
  return Date.now() - at;
}

describe('an abort during an engine call that hangs', () => {
  it('ends startContainer, inspectContainer and putArchive at once', async () => {
    expect(await abortedAfter((signal) => slow.startContainer(container, { signal }))).toBeLessThan(1000);
    expect(await abortedAfter((signal) => slow.inspectContainer(container, { signal }))).toBeLessThan(1000);
    expect(await abortedAfter((signal) => slow.putArchive(container, '/tmp', Buffer.alloc(1024), { signal }))).toBeLessThan(1000);
  });

  it('ends attachStdin while connecting', async () => {
    expect(await abortedAfter((signal) => slow.attachStdin(container, { signal }))).toBeLessThan(1000);
  });
});

it('an attachment made before the abort stays open after it', async () => {
  const controller = new AbortController();
  const attachment = await direct.attachStdin(container, { signal: controller.signal });
  await direct.startContainer(container);
  let ended = false;
  attachment.output.on('end', () => (ended = true)).resume();
  controller.abort(new Error('interrupted'));
  await new Promise((r) => setTimeout(r, 1000));
  expect(ended).toBe(false);
  expect((await direct.inspectContainer(container)).status).toBe('running');
  attachment.close();
  // StdinOnce: letting go of stdin ends `cat`.
  await expect.poll(async () => (await direct.inspectContainer(container)).status, { timeout: 10_000 }).toBe('exited');
});
