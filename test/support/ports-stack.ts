// A stack with one port of every finding, written to a fresh temporary directory (not a repo
// fixture), so the port inventory is proved on a project it has never seen. Its `tiny` service is
// a FROM scratch image holding one static binary (Debian's busybox-static): no shell, no tools.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BUSYBOX = '/bin/busybox';
export const hasBusybox = () => existsSync(BUSYBOX);

const PG = '/usr/lib/postgresql/15/bin';
const postgresStart = [
  'install -d -o postgres -g postgres /var/lib/postgresql/data /var/run/postgresql',
  `setpriv --reuid=postgres --regid=postgres --init-groups ${PG}/initdb -D /var/lib/postgresql/data -U postgres --auth-local=trust --auth-host=trust >/dev/null`,
  'echo \'host all all 0.0.0.0/0 trust\' >> /var/lib/postgresql/data/pg_hba.conf',
  `exec setpriv --reuid=postgres --regid=postgres --init-groups ${PG}/postgres -D /var/lib/postgresql/data -c listen_addresses='*'`,
].join(' && ');

export const PORTS_STACK = `
name: portsstack
services:
  web:
    image: envtest/base:bookworm
    # 8080 is declared; 9229 (a debug port) is not; 5353/udp is declared.
    command: ["node", "-e", "const h = require('http'); h.createServer((q, s) => s.end('web')).listen(8080, '0.0.0.0'); h.createServer((q, s) => s.end('debug')).listen(9229, '0.0.0.0'); require('dgram').createSocket('udp4').bind(5353, '0.0.0.0')"]
    expose: ["8080", "5353/udp"]
  local:
    image: envtest/base:bookworm
    command: ["node", "-e", "require('http').createServer((q, s) => s.end('local')).listen(7000, '127.0.0.1')"]
    expose: ["7000"]
  idle:
    image: envtest/base:bookworm
    command: ["sleep", "infinity"]
    # No opt-out from readiness by ports: \`ports\` waits a while for 9999, then reports it silent.
    expose: ["9999"]
  hidden:
    # Listens on an address of its own that is on no network of the run: no other service can reach it.
    image: envtest/base:bookworm
    cap_add: [NET_ADMIN]
    command: ["sh", "-c", "ip addr add 192.0.2.10/32 dev lo && exec node -e \\"require('http').createServer((q, s) => s.end('hidden')).listen(7100, '192.0.2.10')\\""]
    expose: ["7100"]
  tiny:
    build: ./tiny
    command: ["httpd", "-f", "-p", "8081", "-h", "/www"]
    expose: ["8081"]
  cache:
    image: envtest/base:bookworm
    command: ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--daemonize", "no"]
    expose: ["6379"]
  db:
    image: envtest/base:bookworm
    command: ["sh", "-c", "${postgresStart.replace(/"/g, '\\"')}"]
    expose: ["5432"]
    # initdb on a busy engine can outlast the 30 s port patience; the health check makes the wait certain.
    healthcheck: { test: ["CMD", "${PG}/pg_isready", "-h", "127.0.0.1"], interval: 1s, retries: 120 }
`;

/** Writes a compose file into a fresh temporary directory; returns its path. */
export function writeStack(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-stack-'));
  writeFileSync(join(dir, 'compose.yaml'), yaml);
  return join(dir, 'compose.yaml');
}

/** Writes the stack; returns the compose file's path. */
export function writePortsStack(): string {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-ports-'));
  mkdirSync(join(dir, 'tiny', 'www'), { recursive: true });
  copyFileSync(BUSYBOX, join(dir, 'tiny', 'busybox'));
  writeFileSync(join(dir, 'tiny', 'www', 'index.html'), 'tiny\n');
  writeFileSync(join(dir, 'tiny', 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nCOPY www /www\nENTRYPOINT ["/bin/busybox"]\n');
  writeFileSync(join(dir, 'compose.yaml'), PORTS_STACK);
  return join(dir, 'compose.yaml');
}
