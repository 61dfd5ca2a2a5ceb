// A five-service stack kept outside the repository (written to a temp dir per test), the kind the
// Swarm backend must run without knowing it: a database, a cache and a message queue from the base
// image, an api built from a Dockerfile (so built, pushed to the lab registry and pulled by the nodes)
// and a web tier, the last two with two replicas each so the scheduler has tasks to spread.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COMPOSE = `name: fiveswarm
x-health: &health
  interval: 1s
  timeout: 2s
  retries: 60
services:
  db:
    image: envtest/base:bookworm
    command:
      - sh
      - -c
      - >-
        install -d -o postgres -g postgres /var/lib/postgresql/data &&
        setpriv --reuid=postgres --regid=postgres --init-groups /usr/lib/postgresql/15/bin/initdb
        -D /var/lib/postgresql/data -U postgres --auth-local=trust --auth-host=trust >/dev/null &&
        echo 'host all all 0.0.0.0/0 trust' >>/var/lib/postgresql/data/pg_hba.conf &&
        install -d -o postgres -g postgres /var/run/postgresql &&
        exec setpriv --reuid=postgres --regid=postgres --init-groups /usr/lib/postgresql/15/bin/postgres
        -D /var/lib/postgresql/data -c listen_addresses='*'
    healthcheck:
      <<: *health
      test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", "postgres"]
  cache:
    image: envtest/base:bookworm
    command: ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--daemonize", "no"]
    healthcheck:
      <<: *health
      test: redis-cli ping | grep -q PONG
  queue:
    image: envtest/base:bookworm
    command: ["nats-server", "-a", "0.0.0.0", "-p", "4222"]
  api:
    build: ./api
    expose: ["8080"]
    environment:
      PORT: "8080"
    deploy:
      replicas: 2
    depends_on:
      db: { condition: service_healthy }
      cache: { condition: service_healthy }
      queue: { condition: service_started }
  web:
    image: envtest/base:bookworm
    command: ["nginx", "-g", "daemon off;"]
    deploy:
      replicas: 2
    depends_on: [api]
`;

// The api answers /healthz only when it reaches db, cache and queue by their service names: a
// check on it proves the overlay network and DNS between tasks, wherever the scheduler put them.
const SERVER = `const http = require('http');
const net = require('net');
const reach = (host, port) => new Promise((ok) => {
  const s = net.connect({ host, port, timeout: 2000 }, () => { s.destroy(); ok(true); });
  s.on('error', () => ok(false)).on('timeout', () => { s.destroy(); ok(false); });
});
http.createServer(async (req, res) => {
  if (req.url !== '/healthz') { res.writeHead(404); return res.end('no route'); }
  const deps = { db: await reach('db', 5432), cache: await reach('cache', 6379), queue: await reach('queue', 4222) };
  const ok = Object.values(deps).every(Boolean);
  res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', deps }));
}).listen(Number(process.env.PORT));
`;

const DOCKERFILE = `FROM envtest/base:bookworm
COPY server.js /app/server.js
CMD ["node", "/app/server.js"]
`;

const suite = (apiStatus: string) => `name: five services on a swarm
defaults:
  timeout: 2s
  retry: { for: 30s, every: 500ms }
checks:
  - name: db answers a query
    target: db:5432
    postgres: { user: postgres, database: postgres, query: "SELECT 1 AS one" }
    expect: { rows: [{ one: 1 }] }
  - name: cache answers PING
    target: cache:6379
    redis: { command: [PING] }
    expect: { reply: PONG }
  - name: queue port open
    target: queue:4222
    tcp: {}
  - name: api reaches all three by name
    target: api:8080
    http: { path: /healthz }
    expect:
      status: 200
      json: { status: ${apiStatus} }
  - name: web serves
    target: web:80
    http: { path: / }
    expect: { status: 200 }
`;

export interface FiveServiceStack {
  dir: string;
  compose: string;
  /** A suite the stack passes. */
  checks: string;
  /** The same suite with one contract the api does not keep. */
  brokenChecks: string;
}

export function writeFiveServiceStack(): FiveServiceStack {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-fiveswarm-'));
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'api/server.js'), SERVER);
  writeFileSync(join(dir, 'api/Dockerfile'), DOCKERFILE);
  writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
  writeFileSync(join(dir, 'checks.yaml'), suite('ok'));
  writeFileSync(join(dir, 'broken-checks.yaml'), suite('"all-green-and-more"'));
  return { dir, compose: join(dir, 'compose.yaml'), checks: join(dir, 'checks.yaml'), brokenChecks: join(dir, 'broken-checks.yaml') };
}
