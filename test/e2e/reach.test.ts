// Reaching into a running environment from the host, as the developer who wants to poke at a
// failed CI run does: forward (curl, psql and a streaming gRPC call from the host), exec, logs,
// shell. Nothing is published: the run's networks are internal. Through the CLI, on a real engine,
// with the engine checked afterwards by the docker CLI.
import * as grpc from '@grpc/grpc-js';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, envtest, envtestProcess, fixture, leftovers, repoRoot, uniqueRunId } from '../support/cli.js';

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

    // A response that ends with the server closing arrives whole, every time.
    for (let i = 0; i < 3; i++) {
      const big = await execa('curl', ['-fsS', '-o', '/dev/null', '-w', '%{size_download}', `${url}big`]);
      expect(big.stdout).toBe(String(32 << 20));
    }

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

/** Runs a command line under a real pseudo-terminal (util-linux `script`), feeding it `input` slowly. */
function underTty(commandLine: string, input: string[] = []) {
  const proc = execa('script', ['-qec', commandLine, '/dev/null'], { reject: false, cwd: repoRoot, all: true });
  void (async () => {
    for (const line of input) {
      await new Promise((r) => setTimeout(r, 2500));
      proc.stdin!.write(`${line}\r`);
    }
  })();
  return proc;
}

const cli = `node ${repoRoot}bin/envtest.js`;

describe('envtest exec', () => {
  it("exits with the command's exit code, keeping stdout and stderr apart", async () => {
    const result = await envtest(['exec', runId, 'api', 'sh', '-c', 'echo "$GREETING"; echo oops >&2; exit 7']);
    expect(result.exitCode).toBe(7);
    expect(result.stdout).toBe('hello from api');
    expect(result.stderr).toBe('oops');
  });

  it('-e, -u and -w work as in compose; everything after SERVICE is the command, its options included', async () => {
    const result = await envtest(['exec', '-e', 'EXTRA=1', '-e', 'FROM_HERE', '-u', 'nobody', '-w', '/tmp', runId, 'api', '--', 'sh', '-c', 'echo "$EXTRA $FROM_HERE $(id -un) $(pwd)"'], {
      env: { FROM_HERE: 'local-value' },
    });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toBe('1 local-value nobody /tmp');
    const ls = await envtest(['exec', runId, 'api', 'ls', '-d', '-e', '/srv']);
    expect(ls.exitCode, ls.all).not.toBe(0); // `-e` went to ls (which refuses it), not to envtest
  });

  it('pipes stdin to the command and closes it at the end of input', async () => {
    const result = await execa('node', [`${repoRoot}bin/envtest.js`, 'exec', runId, 'db', 'wc', '-l'], { input: 'a\nb\nc\n', reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('3');
  });

  it('allocates a TTY when stdin is a terminal', async () => {
    const result = await underTty(`${cli} exec ${runId} api sh -c 'tty; exit 5'`);
    expect(result.exitCode, result.all).toBe(5);
    expect(result.all).toMatch(/\/dev\/pts\/\d+/);
    const piped = await envtest(['exec', runId, 'api', 'sh', '-c', 'tty || true']);
    expect(piped.stdout).toBe('not a tty');
  });

  it('names a service the run does not have (exit 2)', async () => {
    const result = await envtest(['exec', runId, 'dbb', 'true']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('has no service "dbb" (did you mean "db"?)');
  });
});

describe('envtest logs', () => {
  it('prefixes each line with its service, with --tail, --since and --timestamps', async () => {
    const all = await envtest(['logs', runId]);
    expect(all.exitCode, all.all).toBe(0);
    expect(all.stdout).toMatch(/^api   \| api listening on 8080$/m);
    expect(all.stdout).toMatch(/^grpc  \| grpc health server listening/m);
    expect(all.stdout).toMatch(/^db    \| .*ready to accept connections/m);

    const one = await envtest(['logs', runId, 'grpc', '--tail', '1', '--timestamps']);
    expect(one.stdout.split('\n')).toEqual([expect.stringMatching(/^grpc  \| \d{4}-\d\d-\d\dT[\d:.]+Z grpc health server listening/)]);
    const future = await envtest(['logs', runId, '--since', new Date(Date.now() + 3_600_000).toISOString()]);
    expect(future.exitCode).toBe(0);
    expect(future.stdout).toBe('');
    const recent = await envtest(['logs', runId, 'api', '--since', '1h']);
    expect(recent.stdout).toContain('api listening on 8080');
  });

  it('-f follows new lines until Ctrl-C', async () => {
    const proc = envtestProcess(['logs', runId, 'api', '-f', '--tail', '0']);
    const marker = `/followed-${Date.now()}`;
    let seen = '';
    const arrived = new Promise<void>((resolve) =>
      proc.stdout!.on('data', (c: Buffer) => {
        seen += c.toString();
        if (seen.includes(marker)) resolve();
      }),
    );
    await new Promise((r) => setTimeout(r, 1500)); // following by now
    expect((await envtest(['exec', runId, 'api', 'curl', '-fsS', `http://127.0.0.1:8080${marker}`])).exitCode).toBe(0);
    await arrived;
    expect(seen).toContain(`api  | api: GET ${marker}`);
    proc.kill('SIGINT');
    expect((await proc).exitCode).toBe(130);
  });

  it('-f ends by itself when the run is torn down', async () => {
    const id = uniqueRunId('logs-end');
    expect((await envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id])).exitCode).toBe(0);
    const proc = envtestProcess(['logs', id, '-f']);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await envtest(['down', id])).exitCode).toBe(0);
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(result.stdout).toContain('api  | api up');
    expect(await leftovers(id)).toEqual([]);
  });
});

describe('envtest shell', () => {
  it('resolves the service names from a helper on the run network, with commands piped in', async () => {
    const result = await execa('node', [`${repoRoot}bin/envtest.js`, 'shell', runId], { input: 'getent hosts api db grpc\nexit 4\n', reject: false });
    expect(result.exitCode, result.stderr).toBe(4);
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(3);
    for (const [i, name] of ['api', 'db', 'grpc'].entries()) expect(lines[i]).toMatch(new RegExp(`^\\d+\\.\\d+\\.\\d+\\.\\d+\\s+${name}$`));
    expect(await helpers()).toEqual([]);
  });

  it('is interactive at a terminal, and its helper goes with it', async () => {
    const result = await underTty(`${cli} shell ${runId}`, ['getent hosts db >/dev/null && echo "db resolves: yes"', 'exit 3']);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.all).toContain('db resolves: yes');
    expect(await helpers()).toEqual([]);
  });
});
