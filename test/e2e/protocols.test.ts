// Every protocol check against a real server: fixtures/stack-protocols brought up once with
// `envtest up`, then a passing and a failing suite run against it with `envtest run --attach`
// (which must leave it up), then `envtest down`. Passwords are fresh per test run and must never
// show up in output or artifacts; the wrong ones in the failing suite neither.
import { readFile } from 'node:fs/promises';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/artifacts/report.js';
import { PROTOCOLS } from '../../src/model/suite.js';
import { docker, envtest, fixture, leftovers, uniqueRunId } from '../support/cli.js';

const stack = fixture('stack-protocols/compose.yaml');
const passingSuite = fixture('suite-protocols.yaml');
const failingSuite = fixture('suite-protocols-failing.yaml');
const id = uniqueRunId('protocols');
const token = () => Math.random().toString(36).slice(2, 10);

// The stack and the suites both read these; per-run values prove they flow through interpolation.
const env = {
  PROTO_PG_PASSWORD: `pg-${token()}`,
  PROTO_MYSQL_PASSWORD: `my-${token()}`,
  PROTO_REDIS_PASSWORD: `rd-${token()}`,
  PROTO_AMQP_PASSWORD: `mq-${token()}`,
  PROTO_NATS_PASSWORD: `nt-${token()}`,
};
/** The deliberately wrong passwords written in the failing suite. */
const WRONG_PASSWORDS = ['wrong-Pg-pass-31e7', 'wrong-My-pass-8a02', 'wrong-Rd-pass-c4d9', 'wrong-Mq-pass-19bb', 'wrong-Nt-pass-77f0'];
const SECRETS = [...Object.values(env), ...WRONG_PASSWORDS];

/** Each failing check and what its message must say: the server's own words where it has them. */
const EXPECTED_FAILURES: Record<string, RegExp> = {
  'fails: postgres wrong password': /^password authentication failed for user "app"$/,
  'fails: postgres rows differ': /^rows\[1\]\.name: expected "latte", got "croissant"$/,
  'fails: mysql wrong password': /^Access denied for user 'app'@'[\d.]+' \(using password: YES\)$/,
  'fails: mysql rows differ': /^rows\[0\]\.city: expected "Paris", got "London"$/,
  'fails: redis wrong password': /^WRONGPASS /,
  'fails: redis without a password': /^NOAUTH Authentication required/,
  'fails: redis reply differs': /^reply: expected "goodbye", got "hello from redis"$/,
  'fails: amqp wrong password': /ACCESS_REFUSED - Login was refused/,
  'fails: amqp default user is loopback-only': /ACCESS_REFUSED - Login was refused/,
  'fails: nats wrong password': /Authorization Violation/,
  'fails: mqtt on a closed port': /^mosquitto:1884 not open \(ECONNREFUSED\)$/,
  'fails: mqtt against an http server': /./,
  'fails: grpc NOT_SERVING service expected SERVING': /^expected shop\.Legacy health SERVING, got NOT_SERVING$/,
  'fails: grpc against an https server': /^UNAVAILABLE: /,
  'fails: https self-signed certificate with verify': /self-signed certificate/,
  'fails: https json differs': /^json \$\.status: expected "degraded", got "ok"$/,
  'fails: tcp port expected closed is open': /^expected nats:4222 not to be reachable, but it accepted a TCP connection$/,
};

const artifactsRoot = mkdtempSync(join(tmpdir(), 'envtest-protocols-'));
// Attached runs share the run id, so each gets its own artifacts directory.
const artifactsOf = (name: string) => join(artifactsRoot, name);
const readReport = async (name: string) => JSON.parse(await readFile(join(artifactsOf(name), id, 'report.json'), 'utf8')) as RunReport;
const readArtifact = (name: string, file: string) => readFile(join(artifactsOf(name), id, file), 'utf8');

function expectNoSecrets(text: string, where: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${where} contains ${secret}`).toBe(false);
}

async function expectNoSecretsInArtifacts(name: string, output: string): Promise<void> {
  expectNoSecrets(output, `${name} output`);
  for (const file of ['report.json', 'junit.xml', 'metrics.json', 'envtest.log']) {
    expectNoSecrets(await readArtifact(name, file), `${name}/${file}`);
  }
}

const containersWithRole = async (role: string) =>
  (await docker(['ps', '-aq', '--filter', `label=envtest.run=${id}`, '--filter', `label=envtest.role=${role}`])).split('\n').filter(Boolean);
const serviceContainers = () => containersWithRole('service');

afterAll(async () => {
  // Backstop only: the last test asserts the teardown itself.
  if ((await leftovers(id)).length) await envtest(['down', id]);
});

describe('protocol checks against real servers', () => {
  it('brings the protocols stack up: every service built offline and healthy', { timeout: 150_000 }, async () => {
    const result = await envtest(['up', '-f', stack, '--run-id', id], { env });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain(`run ${id} is up`);
    expectNoSecrets(result.all, 'envtest up output');
    expect(await serviceContainers()).toHaveLength(8);
  });

  it('passes the protocols suite: every check passed, every protocol covered', async () => {
    const result = await envtest(['run', '--attach', id, '--checks', passingSuite, '--artifacts', artifactsOf('passing')], { env });
    expect(result.exitCode, result.all).toBe(0);
    const report = await readReport('passing');
    expect(report.status).toBe('passed');
    const notPassed = report.checks.filter((c) => c.status !== 'passed').map((c) => `${c.name}: ${c.message}`);
    expect(notPassed).toEqual([]);
    expect(result.stdout).toContain(`${report.checks.length} checks, ${report.checks.length} passed, 0 failed`);
    expect(new Set(report.checks.map((c) => c.protocol))).toEqual(new Set(PROTOCOLS));
    expect((await readArtifact('passing', 'junit.xml')).match(/<testcase /g)).toHaveLength(report.checks.length);
    expect(await readArtifact('passing', 'junit.xml')).not.toContain('<failure');
    await expectNoSecretsInArtifacts('passing', result.all);
  });

  it('leaves the environment as it found it after an attached run: services up, no sidecar left', async () => {
    expect(await serviceContainers()).toHaveLength(8);
    // A leftover sidecar keeps its fixed name, so the next `run --attach` could not create its own.
    expect(await containersWithRole('sidecar')).toEqual([]);
  });

  it('fails exactly the failing variants, with the servers’ own reasons and no password in sight', async () => {
    const suiteText = await readFile(failingSuite, 'utf8');
    for (const p of WRONG_PASSWORDS) expect(suiteText).toContain(p);

    const result = await envtest(['run', '--attach', id, '--checks', failingSuite, '--artifacts', artifactsOf('failing')], { env });
    expect(result.exitCode, result.all).toBe(1);
    const report = await readReport('failing');
    expect(report.status).toBe('failed');

    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(['passes: postgres with the right password', ...Object.keys(EXPECTED_FAILURES)].sort());
    expect(byName['passes: postgres with the right password']!.status).toBe('passed');
    for (const [name, message] of Object.entries(EXPECTED_FAILURES)) {
      const check = byName[name]!;
      expect(check.status, name).toBe('failed');
      expect(check.attempts, name).toBe(1);
      expect(check.message, name).toMatch(message);
      // Not even redacted: the client never put the password into its error in the first place.
      expect(check.message, name).not.toContain('***');
    }
    // An attached run did not follow the logs, yet its failures carry the server's own lines from the engine.
    const pgLogs = (byName['fails: postgres wrong password'] as { logs?: { service: string; line: string }[] }).logs ?? [];
    expect(pgLogs.some((l) => l.service === 'postgres' && /password authentication failed/.test(l.line)), JSON.stringify(pgLogs)).toBe(true);
    const failed = Object.keys(EXPECTED_FAILURES).length;
    expect(report.summary).toEqual({ total: failed + 1, passed: 1, failed });

    const junit = await readArtifact('failing', 'junit.xml');
    expect(junit.match(/<failure /g)).toHaveLength(failed);
    expect(result.stdout).toContain(`${failed + 1} checks, 1 passed, ${failed} failed`);
    await expectNoSecretsInArtifacts('failing', result.all);
    expect(await serviceContainers()).toHaveLength(8);
  });

  it('records the shape of every protocol’s answer, then matches it on the next run', async () => {
    // In a temp dir: the snapshot file is written beside the suite.
    const dir = mkdtempSync(join(tmpdir(), 'envtest-protocol-snapshots-'));
    const suite = join(dir, 'shapes.yaml');
    writeFileSync(
      suite,
      [
        'defaults: { snapshot: true, timeout: 3s, retry: { for: 20s, every: 250ms } }',
        'checks:',
        '  - { name: tcp has no shape, target: redis:6379, tcp: {} }',
        '  - name: postgres products',
        '    target: postgres:5432',
        '    postgres: { user: app, password: "${PROTO_PG_PASSWORD}", database: shop, query: "SELECT id, name, price FROM products ORDER BY id" }',
        '  - name: mysql customers',
        '    target: mariadb:3306',
        '    mysql: { user: app, password: "${PROTO_MYSQL_PASSWORD}", database: shop, query: "SELECT id, name, city FROM customers ORDER BY id" }',
        '  - { name: redis list, target: redis:6379, redis: { password: "${PROTO_REDIS_PASSWORD}", command: [LRANGE, orders, 0, -1] } }',
        '  - name: redis list values',
        '    target: redis:6379',
        '    redis: { password: "${PROTO_REDIS_PASSWORD}", command: [LRANGE, orders, 0, -1] }',
        '    snapshot: { values: true }',
        '  - { name: amqp round trip, target: rabbitmq:5672, amqp: { user: app, password: "${PROTO_AMQP_PASSWORD}", payload: \'{"id":1,"items":["a"]}\' } }',
        '  - { name: nats round trip, target: nats:4222, nats: { user: app, password: "${PROTO_NATS_PASSWORD}", payload: \'{"id":1}\' } }',
        '  - { name: mqtt round trip, target: mosquitto:1883, mqtt: { payload: "order 1" } }',
        '  - { name: https products, target: web:443, http: { tls: true, path: /products }, snapshot: { ignore: [headers.server] } }',
        '  - { name: grpc health, target: grpc:50051, grpc: {} }',
        '',
      ].join('\n'),
    );
    const snap = join(dir, '__snapshots__', 'shapes.snap.yaml');
    const recorded = await envtest(['run', '--attach', id, '--checks', suite, '--artifacts', artifactsOf('shapes'), '-u'], { env });
    expect(recorded.exitCode, recorded.all).toBe(0);
    const text = readFileSync(snap, 'utf8');
    const entry = (name: string) => text.slice(text.indexOf(`${name}:\n`)).split(/\n(?=\S)/)[0]!;
    expect(entry('postgres products')).toContain(
      ['  protocol: postgres', '  shape:', '    columns.id: int4', '    columns.name: text', '    columns.price: numeric', '    command: SELECT'].join('\n'),
    );
    expect(entry('mysql customers')).toMatch(/protocol: mysql\n  shape:\n    columns.city: var_string\n    columns.id: long\n    columns.name: var_string\n    result: rows/);
    expect(entry('redis list')).toContain('    reply: array\n    reply[]: string');
    expect(entry('redis list values')).toContain('    reply[0]: string "espresso"\n    reply[1]: string "croissant"');
    expect(entry('amqp round trip')).toContain('    $: object\n    $.id: number\n    $.items: array\n    $.items[]: string\n    content-type: none');
    expect(entry('nats round trip')).toContain('    $: object\n    $.id: number\n    content-type: none');
    expect(entry('mqtt round trip')).toContain('    body: text\n    content-type: none');
    expect(entry('https products')).toMatch(/    \$\.products\[\]\.name: string\n[\s\S]*    content-type: application\/json\n[\s\S]*    status: "200"/);
    expect(entry('https products')).not.toContain('headers.server');
    // The fixture offers reflection v1alpha only: the client falls back to it.
    expect(entry('grpc health')).toContain(
      [
        '  protocol: grpc',
        '  shape:',
        '    reflection: offered',
        '    services["grpc.health.v1.Health"]: service',
        '    services["grpc.health.v1.Health"].Check: (HealthCheckRequest) returns (HealthCheckResponse)',
        '    services["shop.Orders"]: service',
        '    services["shop.Orders"].Get: (OrderRequest) returns (Order)',
        '    services["shop.Orders"].Watch: (OrderRequest) returns (stream Order)',
        '    status: SERVING',
      ].join('\n'),
    );
    expect(text).not.toContain('tcp has no shape');
    expectNoSecrets(text, 'the snapshot file');

    const again = await envtest(['run', '--attach', id, '--checks', suite, '--artifacts', artifactsOf('shapes-again')], { env: { ...env, CI: 'true' } });
    expect(again.exitCode, again.all).toBe(0);
    expect(readFileSync(snap, 'utf8')).toBe(text);
  });

  it('tears the stack down completely', async () => {
    const result = await envtest(['down', id]);
    expect(result.exitCode, result.all).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });
});
