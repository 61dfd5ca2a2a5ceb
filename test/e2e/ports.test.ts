// `envtest ports` on a real engine, on a stack written to a temporary directory: every finding, UDP,
// a FROM scratch image, protocol names from handshakes, exit codes, and nothing left behind (the
// helpers that read /proc/net included).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PortFinding, PortInventory } from '../../src/model/ports.js';
import { docker, envtest, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';
import { hasBusybox, PORTS_STACK, writePortsStack, writeStack } from '../support/ports-stack.js';

const runId = runIdsRemovedAfterAll(afterAll);
const helpers = async (id: string) => (await docker(['ps', '-aq', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=helper'])).split('\n').filter(Boolean);
const pick = (inv: PortInventory, service: string, port: number, protocol = 'tcp'): PortFinding | undefined =>
  inv.services[service]?.find((p) => p.port === port && p.protocol === protocol);

describe.skipIf(!hasBusybox())('envtest ports', () => {
  it('gives every port of a stack it has never seen its finding and protocol, exits 1, leaves nothing', { timeout: 240_000 }, async () => {
    const id = runId('ports');
    const result = await envtest(['ports', '-f', writePortsStack(), '--run-id', id, '--format', 'json']);
    expect(result.exitCode, result.all).toBe(1);
    const inv = JSON.parse(result.stdout) as PortInventory;
    expect(inv).toMatchObject({ runId: id, project: 'portsstack' });
    expect(pick(inv, 'web', 8080)).toEqual({ port: 8080, protocol: 'tcp', declared: true, addresses: ['0.0.0.0'], reachable: true, finding: 'ok', speaks: 'http', answer: { status: 200 } });
    expect(pick(inv, 'web', 9229)).toMatchObject({ declared: false, reachable: true, finding: 'undeclared', speaks: 'http' });
    expect(pick(inv, 'web', 5353, 'udp')).toMatchObject({ declared: true, addresses: ['0.0.0.0'], reachable: null, finding: 'ok' });
    expect(pick(inv, 'local', 7000)).toMatchObject({ declared: true, addresses: ['127.0.0.1'], reachable: false, finding: 'loopback-only' });
    expect(pick(inv, 'idle', 9999)).toMatchObject({ declared: true, addresses: [], finding: 'silent' });
    expect(pick(inv, 'hidden', 7100)).toMatchObject({ declared: true, addresses: ['192.0.2.10'], reachable: false, finding: 'unreachable' });
    // No shell, no /proc reader in the image: the helper read its sockets from outside.
    expect(pick(inv, 'tiny', 8081)).toMatchObject({ declared: true, reachable: true, finding: 'ok', speaks: 'http' });
    expect(pick(inv, 'cache', 6379)).toMatchObject({ finding: 'ok', speaks: 'redis' });
    expect(pick(inv, 'db', 5432)).toMatchObject({ finding: 'ok', speaks: 'postgres', answer: { authRequired: false } });
    // Docker's embedded DNS (127.0.0.11) is the engine's, not any service's.
    for (const ports of Object.values(inv.services)) for (const p of ports) expect(p.addresses).not.toContain('127.0.0.11');
    expect(Object.values(inv.services).flat()).toHaveLength(9);
    expect(await leftovers(id)).toEqual([]);
  });

  it('--attach inventories a running environment and leaves it up; --strict fails on undeclared ports', { timeout: 180_000 }, async () => {
    const id = runId('ports-attach');
    const stack = writeStack('name: attachstack\nservices:\n' + PORTS_STACK.split('\n  local:')[0]!.split('services:\n')[1]);
    expect((await envtest(['up', '-f', stack, '--run-id', id])).exitCode).toBe(0);
    const text = await envtest(['ports', '--attach', id]);
    expect(text.exitCode, text.all).toBe(0);
    expect(text.stdout).toMatch(/^web$/m);
    expect(text.stdout).toMatch(/^ {2}8080\/tcp +yes +0\.0\.0\.0 +yes +http +ok$/m);
    expect(text.stdout).toMatch(/^ {2}9229\/tcp +no +0\.0\.0\.0 +yes +http +undeclared$/m);
    expect(text.stdout).toMatch(/^ {2}5353\/udp +yes +0\.0\.0\.0 +- +- +ok$/m);
    expect((await envtest(['ports', '--attach', id, '--strict'])).exitCode).toBe(1);
    expect(await helpers(id)).toEqual([]);
    expect(await docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=service'])).not.toBe('');
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('run --ports fails on the bad ports as checks of the suite "ports": terminal, report.json and JUnit', { timeout: 240_000 }, async () => {
    const id = runId('run-ports');
    const artifacts = mkdtempSync(join(tmpdir(), 'envtest-run-ports-'));
    const result = await envtest(['run', '-f', writePortsStack(), '--ports', '--run-id', id, '--artifacts', artifacts]);
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stderr).toMatch(/✗ ports › local:7000\/tcp loopback-only \(local:7000.*— listens only on 127\.0\.0\.1: no other service can reach it/);
    expect(result.stderr).toMatch(/✗ ports › idle:9999\/tcp silent .*— declared, but nothing listens on it/);
    expect(result.stderr).toMatch(/✗ ports › hidden:7100\/tcp unreachable /);
    // Undeclared is reported but passes unless --strict-ports.
    expect(result.stderr).toMatch(/✓ ports › web:9229\/tcp undeclared/);
    const report = JSON.parse(readFileSync(join(artifacts, id, 'report.json'), 'utf8')) as { status: string; checks: { suite: string; name: string; status: string }[] };
    expect(report.status).toBe('failed');
    const failed = report.checks.filter((c) => c.status === 'failed').map((c) => c.name).sort();
    expect(failed).toEqual(['hidden:7100/tcp unreachable', 'idle:9999/tcp silent', 'local:7000/tcp loopback-only']);
    expect(report.checks.every((c) => c.suite === 'ports')).toBe(true);
    const junit = readFileSync(join(artifacts, id, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="ports" tests="9" failures="3"/);
    expect(await leftovers(id)).toEqual([]);
  });
});
