// `envtest init`: a starter suite from a port inventory. One check per port reachable from the
// network, in the protocol it speaks where that needs no credentials, asserting what the port
// answered (for HTTP: `GET /` and its status); a plain TCP check otherwise. Every port whose
// finding is not `ok` gets a comment saying what was found. Pure: inventory in, YAML text out.
import { stringify } from 'yaml';
import type { PortFinding, PortInventory } from '../model/ports.js';

export interface StarterOptions {
  /** Written into the schema comment, relative to the suite file. */
  schemaPath: string;
  /** Also assert that every loopback-only port stays closed to the network (`expect: { open: false }`). */
  negative?: boolean;
}

type CheckEntry = Record<string, unknown>;

export function starterSuite(inventory: PortInventory, opts: StarterOptions): { yaml: string; checks: number } {
  const lines = [
    `# yaml-language-server: $schema=${opts.schemaPath}`,
    `# Written by \`envtest init\` from the ports of project ${inventory.project} (run ${inventory.runId}):`,
    '# each check asserts what its port answered then. Edit freely.',
    '# Checks with an answer to record carry `snapshot: true`: the first run on a laptop (or `envtest run -u`)',
    '# records their shape in __snapshots__/ beside this file; commit it, and later runs fail on drift.',
    `name: ${JSON.stringify(`${inventory.project} internal ports`)}`,
    'checks:',
  ];
  let checks = 0;
  for (const [service, ports] of Object.entries(inventory.services)) {
    for (const port of ports) {
      const comment = findingComment(service, port);
      const check = checkFor(service, port, !!opts.negative);
      if (comment) lines.push(`  # ${comment}`);
      if (!check) continue;
      if (check.why) lines.push(`  # ${check.why}`);
      lines.push(...item(withSnapshot(check.entry)));
      checks++;
    }
  }
  return { yaml: `${lines.join('\n')}\n`, checks };
}

/** A tcp check or one that expects a closed port has no answer whose shape could drift. */
function withSnapshot(entry: CheckEntry): CheckEntry {
  return 'tcp' in entry ? entry : { ...entry, snapshot: true };
}

/** One list item, one key a line, nested values in flow style: `redis: { command: [ PING ] }`. */
function item(entry: CheckEntry): string[] {
  return Object.entries(entry).map(([key, value], i) => `  ${i === 0 ? '-' : ' '} ${key}: ${stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd()}`);
}

function findingComment(service: string, p: PortFinding): string | undefined {
  const where = `${service}:${p.port}/${p.protocol}`;
  const on = p.addresses.join(', ');
  switch (p.finding) {
    case 'ok':
      return p.protocol === 'udp' ? `${where}: listening on ${on} (UDP: no check)` : undefined;
    case 'undeclared':
      return `${where}: undeclared — listens on ${on} but is in no expose, ports or EXPOSE`;
    case 'silent':
      return `${where}: silent — declared, but nothing listens on it`;
    case 'loopback-only':
      return `${where}: loopback-only — listens only on ${on}: no other service can reach it`;
    case 'unreachable':
      return `${where}: unreachable — ${p.note ?? `listens on ${on}, but the sidecar could not reach it`}`;
  }
}

function checkFor(service: string, p: PortFinding, negative: boolean): { entry: CheckEntry; why?: string } | undefined {
  const target = `${service}:${p.port}`;
  if (p.protocol !== 'tcp') return undefined;
  if (p.finding === 'loopback-only' && negative) return { entry: { name: `${target} stays private`, target, tcp: {}, expect: { open: false } } };
  if (p.reachable !== true) return undefined;
  const a = p.answer ?? {};
  const open = (why?: string) => ({ entry: { name: `${target} is open`, target, tcp: {} }, why: why && `${target} ${why}` });
  switch (p.speaks) {
    case 'http':
      return a.status === undefined ? open() : { entry: { name: `${target} answers GET / with ${a.status}`, target, http: { method: 'GET', path: '/' }, expect: { status: a.status } } };
    case 'postgres':
      if (a.authRequired !== false) return open('speaks postgres and wants a password: a postgres check needs user, password and query');
      return { entry: { name: `${target} answers SQL`, target, postgres: { user: 'postgres', database: 'postgres', query: 'SELECT 1 AS ok' }, expect: { rows: [{ ok: 1 }] } } };
    case 'redis':
      if (a.authRequired !== false) return open('speaks redis and wants a password: a redis check needs password');
      return { entry: { name: `${target} answers PING`, target, redis: { command: ['PING'] }, expect: { reply: 'PONG' } } };
    case 'nats':
      if (a.authRequired !== false) return open('speaks nats and wants credentials: a nats check needs user and password or token');
      return { entry: { name: `${target} relays a message`, target, nats: {} } };
    case 'mqtt':
      if (a.authRequired !== false) return open('speaks mqtt and wants credentials: an mqtt check needs user and password');
      return { entry: { name: `${target} relays a message`, target, mqtt: {} } };
    case 'mysql':
      return open('speaks mysql: a mysql check needs user, password and query');
    case 'amqp':
      return open('speaks amqp: an amqp check needs user and password');
    case 'grpc':
      return open('speaks gRPC (h2c): a grpc check asks grpc.health.v1, if the server has it');
    case 'tls':
      return open('speaks TLS: an http check with tls: true fits if it is HTTPS');
    default:
      return open();
  }
}
