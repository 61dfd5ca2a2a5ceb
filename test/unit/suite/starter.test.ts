import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { PortFinding, PortInventory } from '../../../src/model/ports.js';
import { loadSuites } from '../../../src/suite/load.js';
import { starterSuite } from '../../../src/suite/starter.js';

const port = (p: Partial<PortFinding> & Pick<PortFinding, 'port' | 'finding'>): PortFinding => ({
  protocol: 'tcp',
  declared: true,
  addresses: ['0.0.0.0'],
  reachable: true,
  speaks: 'unknown',
  ...p,
});

const inventory: PortInventory = {
  runId: 'cedar-4f2a',
  project: 'shop',
  services: {
    web: [
      port({ port: 8080, finding: 'ok', speaks: 'http', answer: { status: 404 } }),
      port({ port: 9229, finding: 'undeclared', declared: false, speaks: 'http', answer: { status: 200 } }),
      port({ port: 5353, protocol: 'udp', finding: 'ok', reachable: null, speaks: null }),
    ],
    db: [port({ port: 5432, finding: 'ok', speaks: 'postgres', answer: { authRequired: false } })],
    secure: [port({ port: 5432, finding: 'ok', speaks: 'postgres', answer: { authRequired: true } })],
    cache: [port({ port: 6379, finding: 'ok', speaks: 'redis', answer: { authRequired: false } })],
    bus: [port({ port: 4222, finding: 'ok', speaks: 'nats', answer: { authRequired: false } }), port({ port: 1883, finding: 'ok', speaks: 'mqtt', answer: { authRequired: false } })],
    sql: [port({ port: 3306, finding: 'ok', speaks: 'mysql' }), port({ port: 5672, finding: 'ok', speaks: 'amqp' }), port({ port: 50051, finding: 'ok', speaks: 'grpc' }), port({ port: 443, finding: 'ok', speaks: 'tls' })],
    admin: [port({ port: 9100, finding: 'loopback-only', addresses: ['127.0.0.1'], reachable: false, speaks: null })],
    idle: [port({ port: 9999, finding: 'silent', addresses: [], reachable: false, speaks: null })],
    hidden: [port({ port: 7100, finding: 'unreachable', addresses: ['192.0.2.10'], reachable: false, speaks: null, note: "listens on 192.0.2.10, on none of the run's networks" })],
  },
};

const schema = JSON.parse(await readFile(join(import.meta.dirname, '../../../schema/suite.schema.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false }).compile(schema);

async function load(yaml: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'envtest-starter-')), 'envtest.yaml');
  writeFileSync(file, yaml);
  return (await loadSuites([file]))[0]!;
}

describe('starter suite', () => {
  const { yaml, checks } = starterSuite(inventory, { schemaPath: '../schema/suite.schema.json' });

  it('starts with the schema comment and validates against the JSON Schema and the loader', async () => {
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/suite.schema.json');
    expect(validate(parse(yaml)), JSON.stringify(validate.errors)).toBe(true);
    const suite = await load(yaml);
    expect(suite.name).toBe('shop internal ports');
    expect(suite.checks).toHaveLength(checks);
  });

  it('writes one check per reachable TCP port, in its protocol where that needs no credentials', async () => {
    const suite = await load(yaml);
    const byTarget = Object.fromEntries(suite.checks.map((c) => [c.target, c]));
    expect(Object.keys(byTarget).sort()).toEqual(['bus:1883', 'bus:4222', 'cache:6379', 'db:5432', 'secure:5432', 'sql:3306', 'sql:443', 'sql:50051', 'sql:5672', 'web:8080', 'web:9229'].sort());
    expect(byTarget['web:8080']).toMatchObject({ protocol: 'http', options: { method: 'GET', path: '/' }, expect: { status: [404] } });
    expect(byTarget['db:5432']).toMatchObject({ protocol: 'postgres', options: { user: 'postgres', query: 'SELECT 1 AS ok' }, expect: { rows: [{ ok: 1 }] } });
    expect(byTarget['cache:6379']).toMatchObject({ protocol: 'redis', options: { command: ['PING'] }, expect: { reply: 'PONG' } });
    expect(byTarget['bus:4222']!.protocol).toBe('nats');
    expect(byTarget['bus:1883']!.protocol).toBe('mqtt');
    // Credentials cannot be guessed: a connect check, and a comment saying what a protocol check needs.
    for (const t of ['secure:5432', 'sql:3306', 'sql:5672', 'sql:50051', 'sql:443']) expect(byTarget[t]!.protocol).toBe('tcp');
    expect(yaml).toContain('# secure:5432 speaks postgres and wants a password');
    expect(suite.checks.some((c) => !c.expect.open)).toBe(false);
  });

  it('comments every port whose finding is not ok', () => {
    expect(yaml).toContain('# web:9229/tcp: undeclared — listens on 0.0.0.0');
    expect(yaml).toContain('# admin:9100/tcp: loopback-only — listens only on 127.0.0.1');
    expect(yaml).toContain('# idle:9999/tcp: silent — declared, but nothing listens on it');
    expect(yaml).toContain("# hidden:7100/tcp: unreachable — listens on 192.0.2.10, on none of the run's networks");
    expect(yaml).toContain('# web:5353/udp: listening on 0.0.0.0 (UDP: no check)');
  });

  it('writes negative checks only when asked, for loopback-only ports', async () => {
    const suite = await load(starterSuite(inventory, { schemaPath: 's.json', negative: true }).yaml);
    const negative = suite.checks.filter((c) => !c.expect.open);
    expect(negative.map((c) => c.target)).toEqual(['admin:9100']);
  });
});
