// Generated stacks from local images only: N services that each listen on a TCP port as soon as
// they start, either all independent (wide) or each depending on the one before (deep), with one TCP
// check per service. They measure envtest's own cost per service, since the services cost nearly nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { baseImage } from './paths.mjs';

const PORT = 8080;
// netcat-openbsd from the base image: listens at once, keeps listening (-k), never reads stdin (-d).
const listener = ['nc', '-dlk', String(PORT)];

/** Writes <dir>/<shape>-<n>/compose.yaml and checks.yaml; returns their paths. */
export function writeStack(dir, shape, n) {
  const at = join(dir, `${shape}-${n}`);
  mkdirSync(at, { recursive: true });
  const name = (i) => `s${String(i).padStart(2, '0')}`;
  const services = {};
  for (let i = 1; i <= n; i++) {
    services[name(i)] = {
      image: baseImage,
      command: listener,
      expose: [String(PORT)],
      ...(shape === 'deep' && i > 1 ? { depends_on: [name(i - 1)] } : {}),
    };
  }
  const file = join(at, 'compose.yaml');
  writeFileSync(file, stringify({ name: `bench${shape}${n}`, services }));
  const checks = join(at, 'checks.yaml');
  writeFileSync(checks, stringify({
    name: `${shape} ${n}`,
    checks: Object.keys(services).map((s) => ({ name: `${s} listens`, target: `${s}:${PORT}`, tcp: {} })),
  }));
  return { file, checks };
}

/** One service and a suite of `count` cheap checks against it (tcp or http), for checks per second. */
export function writeThroughputStack(dir, protocol, count) {
  const at = join(dir, `throughput-${protocol}`);
  mkdirSync(at, { recursive: true });
  const file = join(at, 'compose.yaml');
  writeFileSync(file, stringify({
    name: `benchthroughput${protocol}`,
    services: {
      web: {
        image: baseImage,
        command: ['node', '-e', `require('http').createServer((q, s) => s.end('ok')).listen(${PORT})`],
        expose: [String(PORT)],
      },
    },
  }));
  const check = protocol === 'http' ? { http: { path: '/' }, expect: { status: 200 } } : { tcp: {} };
  const checks = join(at, 'checks.yaml');
  writeFileSync(checks, stringify({
    name: `${count} ${protocol} checks`,
    checks: Array.from({ length: count }, (_, i) => ({ name: `${protocol} ${i + 1}`, target: `web:${PORT}`, ...check })),
  }));
  return { file, checks };
}
