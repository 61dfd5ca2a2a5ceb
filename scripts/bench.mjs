#!/usr/bin/env node
// Prints how long envtest takes to bring the example stack up and down, and its peak memory, next
// to docker-compose doing the same where a compose CLI is installed. Figures, not assertions:
// targets live here, not in timed tests. Usage: npm run bench [-- --rounds 3]
import { execa } from 'execa';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
