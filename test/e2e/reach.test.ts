// Reaching into a running environment from the host, as the developer who wants to poke at a
// failed CI run does: forward (curl, psql and a streaming gRPC call from the host), exec, logs,
// shell. Nothing is published: the run's networks are internal. Through the CLI, on a real engine,
// with the engine checked afterwards by the docker CLI.
import * as grpc from '@grpc/grpc-js';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, envtest, envtestProcess, fixture, leftovers, uniqueRunId } from '../support/cli.js';

const runId = uniqueRunId('reach');
const PG_PASSWORD = 'reach-Secr3t-pg';

/** Resolves with the forwarder's `host:port` for each target once it has printed them all. */
function forwardedPorts(proc: ReturnType<typeof envtestProcess>, count: number): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let seen = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const lines = [...seen.matchAll(/^(\S+) -> (\S+)$/gm)];
      if (lines.length >= count) resolve(Object.fromEntries(lines.map((m) => [m[2]!, m[1]!])));
    });
    proc.once('exit', () => reject(new Error(`forward exited before printing its ports:\n${seen}`)));
  });
}

async function helpers(): Promise<string[]> {
  return (await docker(['ps', '-aq', '--filter', `label=envtest.run=${runId}`, '--filter', 'label=envtest.role=helper'])).split('\n').filter(Boolean);
}

async function noHelperWithin(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while ((await helpers()).length > 0) {
    if (Date.now() > until) throw new Error(`a helper of ${runId} is still there after ${ms}ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A grpc.health.v1 Watch call: server streaming, messages arrive as the status flaps. */
function watchFlapping(target: string, messages: number): Promise<number[]> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const encode = (s: string) => Buffer.concat([Buffer.from([0x0a, s.length]), Buffer.from(s)]);
  return new Promise((resolve, reject) => {
    const seen: number[] = [];
    const call = client.makeServerStreamRequest('/grpc.health.v1.Health/Watch', encode, (b: Buffer) => b[1] ?? 0, 'shop.Flapping');
    call.on('data', (status: number) => {
      seen.push(status);
      if (seen.length === messages) {
        call.cancel();
        client.close();
        resolve(seen);
      }
    });
    call.on('error', (e: grpc.ServiceError) => {
      if (e.code !== grpc.status.CANCELLED) reject(e);
    });
  });
}

beforeAll(async () => {
  const up = await envtest(['up', '-f', fixture('stack-reach/compose.yaml'), '--run-id', runId], { env: { REACH_PG_PASSWORD: PG_PASSWORD } });
  expect(up.exitCode, up.all).toBe(0);
}, 300_000);

afterAll(async () => {
  const down = await envtest(['down', runId]);
  expect(down.exitCode, down.all).toBe(0);
  expect(await leftovers(runId)).toEqual([]);
});

describe('envtest forward', () => {
  it('carries HTTP keep-alive, a psql session and a streaming gRPC call from the host to internal ports; Ctrl-C removes its helper', async () => {
    const proc = envtestProcess(['forward', runId, 'api:8080', 'db:5432', 'grpc:50051']);
    const ports = await forwardedPorts(proc, 3);
    expect(ports['api:8080']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await helpers()).toHaveLength(1);

    // curl reuses one connection for the three URLs: three requests on one relayed TCP connection.
    const url = `http://${ports['api:8080']}/`;
    const curl = await execa('curl', ['-fsS', url, url, url]);
    expect(curl.stdout.split('\n')).toEqual([expect.stringMatching(/^request 1 on this connection/), expect.stringMatching(/^request 2 /), expect.stringMatching(/^request 3 /)]);

    const [host, port] = ports['db:5432']!.split(':');
    const psql = await execa('psql', ['-h', host!, '-p', port!, '-U', 'app', '-d', 'shop', '-X', '-A', '-t', '-c', 'SELECT name FROM products ORDER BY id', '-c', 'SELECT count(*) FROM products'], {
      env: { PGPASSWORD: PG_PASSWORD },
    });
    expect(psql.stdout.split('\n')).toEqual(['espresso', 'croissant', 'flat white', '3']);

    const statuses = await watchFlapping(ports['grpc:50051']!, 6);
    // SERVING (1) and NOT_SERVING (2) alternate as the server streams each change.
    expect(new Set(statuses)).toEqual(new Set([1, 2]));
    statuses.slice(1).forEach((s, i) => expect(s).not.toBe(statuses[i]));

    proc.kill('SIGINT');
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(130);
    expect(await helpers()).toEqual([]);
  });

  it('leaves no helper behind when the forwarder is SIGKILLed', async () => {
    const proc = envtestProcess(['forward', runId, 'api:8080']);
    const ports = await forwardedPorts(proc, 1);
    expect((await execa('curl', ['-fsS', `http://${ports['api:8080']}/`])).stdout).toMatch(/^request 1/);
    expect(await helpers()).toHaveLength(1);
    proc.kill('SIGKILL');
    await proc;
    await noHelperWithin(10_000);
  });

  it('refuses a service the run does not have, naming the ones it has, and leaves nothing', async () => {
    const result = await envtest(['forward', runId, 'apii:8080']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('run ' + runId + ' has no service "apii" (did you mean "api"?); its services are api, db, grpc');
    expect(await helpers()).toEqual([]);
  });

  it('exits 3 when the run is not up', async () => {
    const result = await envtest(['forward', `${runId}-nope`, 'api:8080']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('no environment with run id');
  });
});
