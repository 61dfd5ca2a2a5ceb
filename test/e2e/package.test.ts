// The package as a user installs it: `npm pack`, then `npm install <tarball>` in a fresh directory
// outside the repository, against a stack that lives outside the repository too. The CLI and the
// import both have to work from there, and the engine is inspected with the docker CLI afterwards.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers, repoRoot, runIdsRemovedAfterAll } from '../support/cli.js';
import { npmInstall, packTarball } from '../support/packed.js';

const runId = runIdsRemovedAfterAll(afterAll);
const dir = mkdtempSync(join(tmpdir(), 'envtest-package-'));
const app = join(dir, 'app');
const stack = join(dir, 'stack');
let files: string[] = [];

// A service whose port 8080 is internal only (no `ports:`), writing to stdout and, a little later
// (the engine timestamps each stream as it reads it), to stderr.
const COMPOSE = `name: outside
services:
  web:
    image: envtest/sidecar:latest
    command: ["node", "-e", "require('http').createServer((q, r) => { console.log('GET ' + q.url); r.end('hello from ' + q.url); setTimeout(() => console.error('served ' + q.url), 50); }).listen(8080, () => console.log('listening on 8080'))"]
    healthcheck:
      test: ["CMD", "node", "-e", "require('net').connect(8080).on('connect', () => process.exit(0)).on('error', () => process.exit(1))"]
      interval: 1s
      retries: 30
`;
const SUITE = `name: outside web
checks:
  - name: web answers on its internal port
    target: web:8080
    http: { path: /from-sidecar }
    expect: { status: 200, body: { contains: hello from /from-sidecar } }
`;

// What a user's test file does with the import (plain ESM: Node 20 itself cannot parse `await using`).
const CONSUMER = `import { up, loadSuite, ValidationError } from 'envtest';
const [compose, suite, runId] = process.argv.slice(2);
const env = await up({ files: [compose], runId });
try {
  const web = await env.address('web', 8080);
  const again = await env.address('web', 8080);
  const fetched = await Promise.all([1, 2, 3].map((n) => fetch(\`http://\${web.host}:\${web.port}/from-test-\${n}\`).then((r) => r.text())));
  const report = await env.check(await loadSuite(suite));
  const exec = await env.exec('web', ['sh', '-c', 'echo out; echo err >&2; exit 7']);
  const logs = await env.logs('web');
  const invalid = await loadSuite(compose).catch((e) => e instanceof ValidationError);
  const published = (await import('node:child_process')).execFileSync('docker', ['ps', '--filter', 'label=envtest.run=' + runId, '--format', '{{.Ports}}'], { encoding: 'utf8' });
  console.log(JSON.stringify({ web, same: again.port === web.port, fetched, report, exec, logs, invalid, published, services: Object.keys(env.services) }));
} finally {
  await env[Symbol.asyncDispose]();
}
`;

// Killed with SIGKILL once up: only the reaper can clean up after it.
const KILLED = `import { up } from 'envtest';
const [compose, runId] = process.argv.slice(2);
const env = await up({ files: [compose], runId });
const web = await env.address('web', 8080);
await fetch('http://' + web.host + ':' + web.port + '/');
console.log('up ' + env.runId);
setInterval(() => undefined, 60_000);
`;

// Aborted while a service is still starting: up() rejects with the signal's reason, having removed the start.
const ABORTED = `import { up } from 'envtest';
const [compose, runId] = process.argv.slice(2);
const controller = new AbortController();
setTimeout(() => controller.abort(new Error('test gave up')), 3000);
const outcome = await up({ files: [compose], runId, signal: controller.signal }).then(() => 'up', (e) => e.message);
console.log(outcome);
`;
const NEVER_READY = `services:
  slow:
    image: envtest/sidecar:latest
    command: ["sleep", "600"]
    healthcheck: { test: ["CMD", "false"], interval: 1s, retries: 1000 }
`;

// The declarations, type-checked as a strict consumer would (library .d.ts files included).
const TYPED = `import { up, loadSuite, EnvironmentError, type UpOptions, type RunReport } from 'envtest';
const options: UpOptions = { files: ['compose.yaml'], profiles: [], env: { SHOP_DB: 'shop' }, timeout: '90s', publish: 'free', egress: true, signal: AbortSignal.timeout(1000) };
export async function run(): Promise<RunReport> {
  const env = await up(options);
  const { host, port }: { host: string; port: number } = await env.address('web', 8080);
  const lines: string[] = await env.logs('web', { tail: 5 });
  if (!host || !port) throw new Error();
  const { exitCode }: { exitCode: number } = await env.exec('web', ['true'], { user: 'root' });
  const report = await env.check(await loadSuite('suite.yaml'), { concurrency: 2 });
  await env.down();
  if (lines.length + exitCode < 0) throw new EnvironmentError('never');
  return report;
}
`;

beforeAll(async () => {
  mkdirSync(app);
  mkdirSync(stack);
  writeFileSync(join(stack, 'compose.yaml'), COMPOSE);
  writeFileSync(join(stack, 'suite.yaml'), SUITE);
  writeFileSync(join(stack, 'never-ready.yaml'), NEVER_READY);
  const packed = await packTarball(dir);
  files = packed.files;
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(join(app, 'consumer.mjs'), CONSUMER);
  writeFileSync(join(app, 'killed.mjs'), KILLED);
  writeFileSync(join(app, 'typed.ts'), TYPED);
  writeFileSync(join(app, 'aborted.mjs'), ABORTED);
  await npmInstall(app, [packed.tarball, '@types/node@20']);
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('ships the built bundles and declarations, and no sources or tests', () => {
    for (const f of ['bin/envtest.js', 'dist/index.js', 'dist/index.cjs', 'dist/envtest.cjs', 'dist/code-cache.cjs', 'dist/sidecar-runner.cjs', 'dist/reaper.cjs', 'dist/types/index.d.ts', 'package.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(src|test|fixtures|examples)\//.test(f))).toEqual([]);
  });

  it('installs without the sidecar protocol clients or test tools as dependencies', async () => {
    const clients = ['pg', 'mysql2', 'ioredis', 'amqplib', 'nats', 'mqtt', '@grpc/grpc-js'];
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', 'envtest', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(installed.dependencies).filter((d) => [...clients, 'execa', 'vitest', 'docker-compose'].includes(d))).toEqual([]);
    // Nothing else pulls them in either (dockerode itself needs @grpc/grpc-js, for BuildKit sessions).
    const { stdout } = await execa('npm', ['ls', '--all', '--parseable'], { cwd: app, reject: false });
    for (const name of [...clients.filter((c) => c !== '@grpc/grpc-js'), 'vitest']) {
      expect(stdout.split('\n').some((p) => p.endsWith(`/node_modules/${name}`)), name).toBe(false);
    }
  });

  it('gives a working envtest CLI that runs checks on a stack outside the repository', async () => {
    const id = runId('pkg-cli');
    const bin = join(app, 'node_modules', '.bin', 'envtest');
    const result = await execa(bin, ['run', '-f', join(stack, 'compose.yaml'), '--checks', join(stack, 'suite.yaml'), '--run-id', id, '--artifacts', join(dir, 'runs')], { cwd: app, reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain('web answers on its internal port');
    expect(await leftovers(id)).toEqual([]);
  });

  it('imports up() and brings the outside stack up, reaches its internal port through address(), checks it, reads its logs, runs a command in it, and leaves nothing', async () => {
    const id = runId('pkg-lib');
    const result = await execa('node', ['consumer.mjs', join(stack, 'compose.yaml'), join(stack, 'suite.yaml'), id], { cwd: app, reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
    const out = JSON.parse(result.stdout) as {
      web: { host: string; port: number };
      same: boolean;
      fetched: string[];
      published: string;
      report: { runId: string; status: string; summary: { passed: number }; checks: { name: string; status: string }[] };
      exec: { exitCode: number; stdout: string; stderr: string };
      logs: string[];
      invalid: boolean;
      services: string[];
    };
    // address(): the internal port, from the test process, with nothing published on the host.
    expect(out.web.host).toBe('127.0.0.1');
    expect(out.same).toBe(true);
    expect(out.fetched).toEqual(['hello from /from-test-1', 'hello from /from-test-2', 'hello from /from-test-3']);
    expect(out.published).not.toMatch(/->/);
    expect(out.report).toMatchObject({ runId: id, status: 'passed', summary: { passed: 1 } });
    expect(out.report.checks).toEqual([expect.objectContaining({ name: 'web answers on its internal port', status: 'passed' })]);
    expect(out.exec).toEqual({ exitCode: 7, stdout: 'out\n', stderr: 'err\n' });
    // stdout and stderr interleaved in the order the service wrote them.
    expect(out.logs[0]).toBe('listening on 8080');
    expect(out.logs.filter((l) => l.includes('/from-sidecar')).slice(0, 2)).toEqual(['GET /from-sidecar', 'served /from-sidecar']);
    expect(out.logs).toContain('GET /from-test-1');
    expect(out.invalid).toBe(true);
    expect(out.services).toEqual(['web']);
    expect(await leftovers(id)).toEqual([]);
  });

  it('stops a start when its signal aborts, rejects with the reason and leaves nothing', async () => {
    const id = runId('pkg-abort');
    const result = await execa('node', ['aborted.mjs', join(stack, 'never-ready.yaml'), id], { cwd: app, reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toBe('test gave up');
    expect(await leftovers(id)).toEqual([]);
  });

  it('works from CommonJS too', async () => {
    const result = await execa('node', ['-e', "const e = require('envtest'); console.log(typeof e.up, typeof e.loadSuite, new e.UsageError('x').exitCode)"], { cwd: app });
    expect(result.stdout).toBe('function function 2');
  });

  it('has declarations a strict TypeScript consumer compiles against', async () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'ESNext.Disposable'], noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['typed.ts'] }),
    );
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await execa('node', [tsc, '-p', 'tsconfig.json'], { cwd: app, reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
  });

  it('leaves nothing behind when the process using the library is killed with SIGKILL mid-test', async () => {
    const id = runId('pkg-kill');
    const child = execa('node', ['killed.mjs', join(stack, 'compose.yaml'), id], { cwd: app, reject: false, all: true });
    await new Promise<void>((resolve, reject) => {
      child.all!.on('data', (chunk: Buffer) => chunk.toString().includes(`up ${id}`) && resolve());
      void child.then((r) => reject(new Error(`exited before it was up: ${r.all}`)));
    });
    // The service, its network, the reaper and the relay's helper.
    const roles = await execa('docker', ['ps', '--filter', `label=envtest.run=${id}`, '--format', '{{.Label "envtest.role"}}']);
    expect(roles.stdout.split('\n').sort()).toEqual(['helper', 'reaper', 'service']);
    child.kill('SIGKILL');
    await child;
    // The reaper's grace is 2 s; give the engine time to remove everything.
    const deadline = Date.now() + 30_000;
    let left = await leftovers(id);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      left = await leftovers(id);
    }
    expect(left).toEqual([]);
  });
});
