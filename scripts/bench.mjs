#!/usr/bin/env node
// Prints how long envtest takes to bring the example stack up and down, and its peak memory, next
// to docker-compose doing the same where a compose CLI is installed; and the throughput of `envtest forward`. Figures, not assertions:
// targets live here, not in timed tests. Usage: npm run bench [-- --rounds 3]
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compose = `${root}compose/compose.yaml`;
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;

/** Runs a command, sampling its resident memory from /proc while it lives. */
async function measure(cmd, args, env = {}) {
  const started = performance.now();
  const child = execa(cmd, args, { cwd: root, env, reject: false, all: true });
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // The process already exited.
    }
  }, 20);
  const result = await child;
  clearInterval(timer);
  if (result.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${result.all}`);
  return { ms: performance.now() - started, peakMb: peakKb / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];

async function bench(label, upCmd, downCmd) {
  const ups = [];
  const downs = [];
  const mem = [];
  for (let i = 0; i < rounds; i++) {
    const up = await upCmd(i);
    const down = await downCmd(i);
    ups.push(up.ms);
    downs.push(down.ms);
    mem.push(up.peakMb);
  }
  rows.push({ tool: label, 'up (median ms)': Math.round(median(ups)), 'down (median ms)': Math.round(median(downs)), 'peak RSS of up (MB)': Math.round(Math.max(...mem)) });
}

const envtest = (...args) => measure('node', [`${root}bin/envtest.js`, ...args]);
await bench(
  'envtest',
  (i) => envtest('up', '-f', compose, '--run-id', `bench-${process.pid}-${i}`, '--no-build'),
  (i) => envtest('down', `bench-${process.pid}-${i}`),
);

const cli = (await execa('docker-compose', ['version', '--short'], { reject: false })).exitCode === 0;
if (cli) {
  // compose v1 predates the top-level `name:`; the same file without it, beside the original.
  const v1File = `${root}compose/.bench-compose-v1.yaml`;
  writeFileSync(v1File, readFileSync(compose, 'utf8').replace(/^name:.*$/m, ''));
  process.on('exit', () => rmSync(v1File, { force: true }));
  const project = (i) => ['-p', `bench${process.pid}x${i}`, '-f', v1File];
  await bench(
    'docker-compose',
    // compose v1 would try to pull images it is told to build; build first, outside the timing.
    async (i) => {
      await execa('docker-compose', [...project(i), 'build', '-q'], { cwd: root, reject: false });
      return measure('docker-compose', [...project(i), 'up', '-d']);
    },
    (i) => measure('docker-compose', [...project(i), 'down', '-v']),
  );
} else {
  console.log('docker-compose is not installed: comparing against nothing');
}

console.log(`example stack (compose/), ${rounds} rounds`);
console.table(rows);

// Throughput of `envtest forward`: one relayed connection carrying what a service sends, and how
// long a new connection takes to bring its first byte (each one is an exec in the helper).
const forwardMb = 256;
const forwardDir = mkdtempSync(join(tmpdir(), 'envtest-bench-forward-'));
const forwardRun = `bench-fwd-${process.pid}`;
writeFileSync(
  join(forwardDir, 'compose.yaml'),
  `name: benchfwd
services:
  blob:
    image: envtest/base:bookworm
    command: ["node", "-e", "const b = Buffer.alloc(1 << 20, 120); require('net').createServer((s) => { let n = 0; const w = () => { while (n < ${forwardMb}) { n++; if (!s.write(b)) return s.once('drain', w); } s.end(); }; w(); }).listen(9000)"]
`,
);
try {
  await measure('node', [`${root}bin/envtest.js`, 'up', '-f', join(forwardDir, 'compose.yaml'), '--run-id', forwardRun]);
  const forwarder = execa('node', [`${root}bin/envtest.js`, 'forward', forwardRun, 'blob:9000'], { cwd: root, reject: false });
  const address = await new Promise((resolve, reject) => {
    let seen = '';
    forwarder.stdout.on('data', (c) => {
      seen += c;
      const m = /^(\S+):(\d+) -> blob:9000$/m.exec(seen);
      if (m) resolve({ host: m[1], port: Number(m[2]) });
    });
    forwarder.once('exit', () => reject(new Error(`forward exited:\n${seen}`)));
  });
  const download = () =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      let firstByteMs;
      let bytes = 0;
      const socket = connect(address.port, address.host);
      socket.on('data', (chunk) => {
        firstByteMs ??= performance.now() - started;
        bytes += chunk.length;
      });
      socket.on('end', () => resolve({ bytes, ms: performance.now() - started, firstByteMs }));
      socket.on('error', reject);
    });
  const runs = [];
  for (let i = 0; i < rounds; i++) runs.push(await download());
  forwarder.kill('SIGINT');
  await forwarder;
  const mbPerS = runs.map((r) => r.bytes / 1024 / 1024 / (r.ms / 1000));
  console.log(`envtest forward, ${rounds} rounds of ${forwardMb} MB over one relayed connection`);
  console.table([
    {
      'throughput (median MB/s)': Math.round(median(mbPerS)),
      'first byte of a new connection (median ms)': Math.round(median(runs.map((r) => r.firstByteMs))),
      'complete transfers': `${runs.filter((r) => r.bytes === forwardMb * 1024 * 1024).length}/${rounds}`,
    },
  ]);
} finally {
  await execa('node', [`${root}bin/envtest.js`, 'down', forwardRun], { reject: false });
  rmSync(forwardDir, { recursive: true, force: true });
}
