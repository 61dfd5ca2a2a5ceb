// A five-service stack kept outside the repository (written to a temp dir per test), unlike the
// bundled example, the kind the Swarm backend must run without knowing it:
//   store   a database-like TCP service (redis) with a health check;
//   queue   a message bus (nats) with a health check on its monitoring port;
//   init    a one-shot job that plants a seed in the store; the app waits for it to complete;
//   api     built from a Dockerfile (so built, pushed to the lab registry and pulled by the nodes),
//           two replicas, a memory limit, an HTTP health check; it publishes jobs on the queue;
//   worker  built from the same context, pinned to worker nodes, consumes the queue and records
//           each job in the store;
//   web     an nginx front whose config is a compose `configs:` entry (a swarm config), proxying /api/.
// A job posted to the api crosses queue, worker and store, wherever the scheduler put them.
// Two keys a swarm task cannot carry (shm_size, restart) are there as real files have them: the run
// warns about each once per service.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const compose = (workerSubject: string) => `name: relay
x-health: &health
  interval: 1s
  timeout: 2s
  retries: 90
services:
  store:
    image: envtest/base:bookworm
    command: ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "", "--appendonly", "no"]
    shm_size: 64m
    healthcheck:
      <<: *health
      test: redis-cli ping | grep -q PONG
  queue:
    image: envtest/base:bookworm
    command: ["nats-server", "-a", "0.0.0.0", "-p", "4222", "-m", "8222"]
    healthcheck:
      <<: *health
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8222/healthz"]
  init:
    image: envtest/base:bookworm
    command: ["redis-cli", "-h", "store", "SET", "seed", "planted"]
    depends_on:
      store: { condition: service_healthy }
  api:
    build: ./app
    command: ["node", "/app/api.js"]
    expose: ["8080"]
    restart: unless-stopped
    environment:
      PORT: "8080"
      STORE: store:6379
      QUEUE: queue:4222
      JOBS_SUBJECT: jobs.work
    deploy:
      replicas: 2
      resources:
        limits: { memory: 256M }
    healthcheck:
      <<: *health
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8080/healthz"]
    depends_on:
      init: { condition: service_completed_successfully }
      queue: { condition: service_healthy }
  worker:
    build: ./app
    command: ["node", "/app/worker.js"]
    environment:
      STORE: store:6379
      QUEUE: queue:4222
      JOBS_SUBJECT: ${workerSubject}
    deploy:
      placement:
        constraints: ["node.role==worker"]
    depends_on:
      init: { condition: service_completed_successfully }
      queue: { condition: service_healthy }
  web:
    image: envtest/base:bookworm
    command: ["nginx", "-c", "/etc/relay/nginx.conf", "-g", "daemon off;"]
    configs:
      - source: nginx
        target: /etc/relay/nginx.conf
    depends_on:
      api: { condition: service_healthy }
configs:
  nginx:
    content: |
      events {}
      http {
        server {
          listen 80;
          location /api/ { proxy_pass http://api:8080/; }
          location = / { return 200 "relay web\\n"; }
        }
      }
`;

// Tiny clients for the two wire protocols, so the image needs nothing from npm.
const CLIENTS = `const net = require('net');
const hostPort = (v) => { const [h, p] = v.split(':'); return { host: h, port: Number(p) }; };

/** One redis command on its own connection: the reply as text, or null for nil. */
exports.redis = (...args) => new Promise((resolve, reject) => {
  const s = net.connect(hostPort(process.env.STORE));
  let buf = '';
  s.setTimeout(2000, () => { s.destroy(); reject(new Error('redis: timed out')); });
  s.on('error', reject);
  s.on('data', (d) => {
    buf += d;
    const nl = buf.indexOf('\\r\\n');
    if (nl < 0) return;
    const head = buf.slice(0, nl);
    if (head[0] === '$') {
      const n = Number(head.slice(1));
      if (n >= 0 && buf.length < nl + 4 + n) return;
      s.end();
      return resolve(n < 0 ? null : buf.slice(nl + 2, nl + 2 + n));
    }
    s.end();
    if (head[0] === '-') reject(new Error(head)); else resolve(head.slice(1));
  });
  s.write('*' + args.length + '\\r\\n' + args.map((a) => '$' + Buffer.byteLength(String(a)) + '\\r\\n' + a + '\\r\\n').join(''));
});

/** A NATS connection: onMessage(subject, payload) for what it subscribed to; answers the server's PINGs. */
exports.nats = (onMessage = () => {}) => {
  const s = net.connect(hostPort(process.env.QUEUE));
  let buf = '';
  const pongs = [];
  s.on('data', (d) => {
    buf += d;
    for (;;) {
      const nl = buf.indexOf('\\r\\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      if (line.startsWith('MSG ')) {
        const parts = line.split(' ');
        const n = Number(parts[parts.length - 1]);
        if (buf.length < nl + 4 + n) return;
        onMessage(parts[1], buf.slice(nl + 2, nl + 2 + n));
        buf = buf.slice(nl + 4 + n);
        continue;
      }
      buf = buf.slice(nl + 2);
      if (line === 'PING') s.write('PONG\\r\\n');
      else if (line === 'PONG') pongs.shift()?.();
      else if (line.startsWith('-ERR')) console.error('nats:', line);
    }
  });
  s.write('CONNECT {"verbose":false,"pedantic":false}\\r\\n');
  return {
    socket: s,
    sub: (subject) => s.write('SUB ' + subject + ' 1\\r\\n'),
    pub: (subject, payload) => s.write('PUB ' + subject + ' ' + Buffer.byteLength(payload) + '\\r\\n' + payload + '\\r\\n'),
    /** Resolves once the server has seen everything written before it. */
    flush: () => new Promise((ok) => { pongs.push(ok); s.write('PING\\r\\n'); }),
  };
};
`;

const API = `const http = require('http');
const { randomUUID } = require('crypto');
const { redis, nats } = require('./clients.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const send = (res, status, body) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };

/** Posts a job on the queue and waits for a worker to record it in the store. */
async function job() {
  const id = randomUUID();
  const bus = nats();
  bus.socket.on('error', () => {});
  bus.pub(process.env.JOBS_SUBJECT, id);
  await bus.flush();
  bus.socket.end();
  for (let i = 0; i < 20; i++) {
    const by = await redis('GET', 'done:' + id);
    if (by) return { done: true, id, by };
    await sleep(100);
  }
  return { done: false, id };
}

http.createServer(async (req, res) => {
  try {
    if (req.url === '/healthz') return send(res, 200, { status: 'ok' });
    if (req.url === '/seed') return send(res, 200, { seed: await redis('GET', 'seed') });
    if (req.url === '/jobs' && req.method === 'POST') { const r = await job(); return send(res, r.done ? 200 : 504, r); }
    send(res, 404, { error: 'no route for ' + req.url });
  } catch (e) {
    send(res, 503, { error: String(e.message) });
  }
}).listen(Number(process.env.PORT));
`;

const WORKER = `const os = require('os');
const { redis, nats } = require('./clients.js');
const bus = nats((subject, id) => {
  redis('SET', 'done:' + id, os.hostname(), 'EX', '300').catch((e) => console.error('store:', e.message));
});
// A worker that lost its queue is dead: exit, so the run sees it instead of a silent backlog.
bus.socket.on('error', (e) => { console.error('queue:', e.message); process.exit(1); });
bus.socket.on('close', () => { console.error('queue closed'); process.exit(1); });
bus.sub(process.env.JOBS_SUBJECT);
bus.flush().then(() => console.log('worker consuming ' + process.env.JOBS_SUBJECT));
`;

const DOCKERFILE = `FROM envtest/base:bookworm
COPY *.js /app/
`;

const SUITE = `name: relay on a swarm
defaults:
  timeout: 3s
  retry: { for: 30s, every: 500ms }
checks:
  - name: the store holds what the init job planted
    target: store:6379
    redis: { command: [GET, seed] }
    expect: { reply: planted }
  - name: the store port is open
    target: store:6379
    tcp: {}
  - name: queue round trip
    target: queue:4222
    nats: {}
  - name: api healthy
    target: api:8080
    http: { path: /healthz }
    expect: { status: 200, json: { status: ok } }
  - name: the web front proxies to the api
    target: web:80
    http: { path: /api/seed }
    expect: { status: 200, json: { seed: planted } }
  - name: a job goes through the queue to the worker and into the store
    target: api:8080
    http: { method: POST, path: /jobs }
    retry: { for: 15s }
    expect: { status: 200, json: { done: true } }
`;

export interface FiveServiceStack {
  dir: string;
  compose: string;
  checks: string;
}

/**
 * Writes the stack; `workerSubject` is the subject the worker consumes. Anything but `jobs.work`
 * (where the api publishes) is the broken variant: it starts, and the job check fails.
 */
export function writeFiveServiceStack(workerSubject = 'jobs.work'): FiveServiceStack {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-relay-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app/clients.js'), CLIENTS);
  writeFileSync(join(dir, 'app/api.js'), API);
  writeFileSync(join(dir, 'app/worker.js'), WORKER);
  writeFileSync(join(dir, 'app/Dockerfile'), DOCKERFILE);
  writeFileSync(join(dir, 'compose.yaml'), compose(workerSubject));
  writeFileSync(join(dir, 'checks.yaml'), SUITE);
  return { dir, compose: join(dir, 'compose.yaml'), checks: join(dir, 'checks.yaml') };
}
