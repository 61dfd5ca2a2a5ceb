import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/checks/clock.js';
import { protocols } from '../../../src/checks/registry.js';
import { runCheck } from '../../../src/checks/run-check.js';
import { checkFor, close, closedPort, listen } from './helpers.js';

const deps = { protocols, clock: systemClock };
const servers: net.Server[] = [];

async function echoServer(greeting?: string): Promise<number> {
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    if (greeting) s.write(greeting);
    s.on('data', (d) => s.write(d));
  });
  servers.push(server);
  return listen(server);
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map(close));
});

describe('tcp check against a loopback server', () => {
  it('passes when the port accepts a connection', async () => {
    const port = await echoServer();
    const r = await runCheck('s', checkFor('tcp', port), deps);
    expect(r).toMatchObject({ status: 'passed', attempts: 1, message: 'connected', protocol: 'tcp' });
  });

  it('sends, then waits for the expected reply', async () => {
    const port = await echoServer('+READY\r\n');
    const r = await runCheck('s', checkFor('tcp', port, { options: { send: 'hello' }, expect: { receive: 'hello' } }), deps);
    expect(r).toMatchObject({ status: 'passed', message: 'received "hello"' });
  });

  it('says what came back when the reply does not contain the expected text', async () => {
    const port = await echoServer('+READY\r\n');
    const r = await runCheck('s', checkFor('tcp', port, { timeoutMs: 300, expect: { receive: 'PONG' } }), deps);
    expect(r).toMatchObject({ status: 'failed', message: 'expected to receive "PONG", got "+READY\\r\\n" (timed out)' });
  });

  it('stops reading an endless stream at 1 MiB and says so, instead of growing without bound', async () => {
    const block = Buffer.alloc(64 * 1024, 'x');
    const server = net.createServer((s) => {
      s.on('error', () => undefined);
      const pump = () => {
        while (!s.destroyed && s.write(block));
        if (!s.destroyed) s.once('drain', pump);
      };
      pump();
    });
    servers.push(server);
    const port = await listen(server);
    const r = await runCheck('s', checkFor('tcp', port, { timeoutMs: 10_000, expect: { receive: 'PONG' } }), deps);
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/^expected to receive "PONG", got "x+.*\(stopped reading after \d+ bytes, the limit is 1 MiB\)$/);
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it('fails a closed port with the code, after retrying for the window', async () => {
    const port = await closedPort();
    const r = await runCheck('s', checkFor('tcp', port, { retry: { forMs: 300, everyMs: 100 } }), deps);
    expect(r.status).toBe('failed');
    expect(r.message).toBe(`127.0.0.1:${port} not open after 300ms (ECONNREFUSED)`);
    expect(r.attempts).toBeGreaterThanOrEqual(3);
    expect(r.durationMs).toBeGreaterThanOrEqual(200);
  });

  it('passes once the server comes up during the retry window', async () => {
    const port = await closedPort();
    const server = net.createServer((s) => s.end());
    servers.push(server);
    setTimeout(() => server.listen(port, '127.0.0.1'), 150);
    const r = await runCheck('s', checkFor('tcp', port, { retry: { forMs: 3000, everyMs: 50 } }), deps);
    expect(r.status).toBe('passed');
    expect(r.attempts).toBeGreaterThan(1);
  });

  describe('open: false', () => {
    it('passes on the first closed observation without waiting out the window', async () => {
      const port = await closedPort();
      const r = await runCheck('s', checkFor('tcp', port, { expect: { open: false }, retry: { forMs: 15_000, everyMs: 200 } }), deps);
      expect(r).toMatchObject({ status: 'passed', attempts: 1, message: 'not reachable (ECONNREFUSED)' });
      expect(r.durationMs).toBeLessThan(1000);
    });

    it('fails when the port accepts, after the window', async () => {
      const port = await echoServer();
      const r = await runCheck('s', checkFor('tcp', port, { expect: { open: false }, retry: { forMs: 200, everyMs: 50 } }), deps);
      expect(r.status).toBe('failed');
      expect(r.message).toBe(`expected 127.0.0.1:${port} not to be reachable, but it accepted a TCP connection (still open after 200ms)`);
    });

    it('works the same for any protocol: the decision is made at TCP level', async () => {
      const port = await echoServer();
      const r = await runCheck('s', { ...checkFor('tcp', port), protocol: 'postgres', options: { user: 'u', password: 'pw', query: 'x' }, expect: { open: false } }, deps);
      expect(r.message).toMatch(/accepted a TCP connection/);
    });
  });
});
