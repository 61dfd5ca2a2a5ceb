// The port helper's own scripts (the sh loop tried first, the node script for images without a
// shell), run on this machine against its /proc/net (the helper reads its namespace's tables the
// same way) and against fixture tables: told which ports a readiness wait needs, each exits by
// itself once they listen, and only then; both print the same snapshots.
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HELPER_SCRIPT, HELPER_SH_SCRIPT } from '../../../src/orchestrator/ports/listeners.js';
import { listeningSockets } from '../../../src/orchestrator/ports/proc-net.js';

const servers: Server[] = [];
const dirs: string[] = [];
afterEach(async () => {
  servers.splice(0).forEach((s) => s.close());
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function listen(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

const HEAD = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (local: string, state: string) => `   0: ${local} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n`;

/** A /proc/net look-alike: 8080 listens on 127.0.0.1 only, 5432 on :: (tcp6), 9000 only on Docker's resolver address, 7000 is a connection. */
async function fixtureTables(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'envtest-proc-net-'));
  dirs.push(dir);
  await writeFile(join(dir, 'tcp'), HEAD + row('0B00007F:2328', '0A') + row('0100007F:1F90', '0A') + row('0200110A:1B58', '01'));
  await writeFile(join(dir, 'tcp6'), HEAD + row('00000000000000000000000000000000:1538', '0A'));
  await writeFile(join(dir, 'udp'), HEAD + row('0B00007F:8A4B', '07'));
  // udp6 is missing, as in a namespace without IPv6: read as empty.
  return dir;
}

const scripts = [
  { name: 'sh loop', run: (env: Record<string, string>, timeout?: number) => execa('sh', ['-c', HELPER_SH_SCRIPT], { env, timeout, reject: false }) },
  { name: 'node script', run: (env: Record<string, string>, timeout?: number) => execa('node', ['-e', HELPER_SCRIPT], { env, timeout, reject: false }) },
];

async function stillReading(child: ReturnType<(typeof scripts)[number]['run']>): Promise<string> {
  const outcome = await Promise.race([child.then(() => 'exited'), new Promise((r) => setTimeout(() => r('still reading'), 3_000))]);
  child.kill();
  return outcome as string;
}

describe.skipIf(process.platform !== 'linux').each(scripts)('the port helper $name', ({ run }) => {
  it('exits 0 by itself once every port it waits for listens, after printing the snapshot that has them', async () => {
    const port = await listen();
    const result = await run({ ENVTEST_UNTIL_LISTENING: String(port) }, 10_000);
    expect(result.exitCode).toBe(0);
    const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, string>;
    expect(listeningSockets(last).some((s) => s.protocol === 'tcp' && s.port === port)).toBe(true);
  });

  it('keeps reading while a port it waits for is closed, and with no ports to wait for (a one-off read)', async () => {
    const open = await listen();
    const closed = await listen();
    servers.pop()!.close();
    const outcomes = await Promise.all([{ ENVTEST_UNTIL_LISTENING: `${open},${closed}` }, {} as Record<string, string>].map((env) => stillReading(run(env))));
    expect(outcomes).toEqual(['still reading', 'still reading']);
  });

  it('prints the tables as they are, and counts a TCP listener on any address but the resolver', async () => {
    const dir = await fixtureTables();
    const done = await run({ ENVTEST_PROC_NET: dir, ENVTEST_UNTIL_LISTENING: '8080,5432' }, 10_000);
    expect(done.exitCode).toBe(0);
    const snapshot = JSON.parse(done.stdout.trim()) as Record<string, string>;
    expect(snapshot).toEqual({ tcp: expect.stringContaining(row('0100007F:1F90', '0A')), tcp6: expect.any(String), udp: expect.any(String), udp6: '' });
    expect(listeningSockets(snapshot).filter((s) => s.protocol === 'tcp')).toEqual([
      { protocol: 'tcp', address: '127.0.0.11', port: 9000 },
      { protocol: 'tcp', address: '127.0.0.1', port: 8080 },
      { protocol: 'tcp', address: '::', port: 5432 },
    ]);
    // 9000 listens only on Docker's resolver address; 7000 is a connection, not a listener.
    const outcomes = await Promise.all(['9000', '7000'].map((port) => stillReading(run({ ENVTEST_PROC_NET: dir, ENVTEST_UNTIL_LISTENING: port }))));
    expect(outcomes).toEqual(['still reading', 'still reading']);
  });
});

describe.skipIf(process.platform !== 'linux')('the two port helpers', () => {
  it('print the same snapshot of the same tables', async () => {
    const dir = await fixtureTables();
    const [sh, node] = await Promise.all(scripts.map((s) => s.run({ ENVTEST_PROC_NET: dir, ENVTEST_UNTIL_LISTENING: '8080' }, 10_000)));
    expect(sh!.stdout).toBe(node!.stdout);
  });
});
