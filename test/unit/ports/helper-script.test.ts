// The port helper's own script, run by the node running this test against this machine's
// /proc/net (the helper reads its namespace's tables the same way): told which ports a readiness
// wait needs, it exits by itself once they listen, and only then.
import { execa } from 'execa';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HELPER_SCRIPT } from '../../../src/orchestrator/ports/listeners.js';
import { listeningSockets } from '../../../src/orchestrator/ports/proc-net.js';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function listen(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe.skipIf(process.platform !== 'linux')('the port helper script', () => {
  it('exits 0 by itself once every port it waits for listens, after printing the snapshot that has them', async () => {
    const port = await listen();
    const result = await execa('node', ['-e', HELPER_SCRIPT], { env: { ENVTEST_UNTIL_LISTENING: String(port) }, timeout: 10_000 });
    expect(result.exitCode).toBe(0);
    const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, string>;
    expect(listeningSockets(last).some((s) => s.protocol === 'tcp' && s.port === port)).toBe(true);
  });

  it('keeps reading while a port it waits for is closed, and with no ports to wait for (a one-off read)', async () => {
    const open = await listen();
    const closed = await listen();
    servers.pop()!.close();
    for (const env of [{ ENVTEST_UNTIL_LISTENING: `${open},${closed}` }, {}]) {
      const child = execa('node', ['-e', HELPER_SCRIPT], { env, reject: false });
      const outcome = await Promise.race([child.then(() => 'exited'), new Promise((r) => setTimeout(() => r('still reading'), 3_000))]);
      child.kill();
      expect(outcome).toBe('still reading');
    }
  });
});
