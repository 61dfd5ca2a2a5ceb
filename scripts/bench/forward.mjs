// Throughput of `envtest forward`: one relayed connection carrying what a service sends, and how
// long a new connection takes to bring its first byte (each one is an exec in the helper).
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { baseImage, envtestBin } from './paths.mjs';
import { measureOk } from './process.mjs';
import { summary } from './stats.mjs';

function download(address) {
  return new Promise((resolve, reject) => {
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
}

/** Resolves the row: MB/s and first-byte ms over `rounds` transfers of `mb` MB. */
export async function forwardRow({ dir, runId, artifacts, mb, rounds }) {
  mkdirSync(join(dir, 'forward'), { recursive: true });
  const file = join(dir, 'forward', 'compose.yaml');
  const server = `const b = Buffer.alloc(1 << 20, 120); require('net').createServer((s) => { let n = 0; const w = () => { while (n < ${mb}) { n++; if (!s.write(b)) return s.once('drain', w); } s.end(); }; w(); }).listen(9000)`;
  writeFileSync(file, stringify({ name: 'benchfwd', services: { blob: { image: baseImage, command: ['node', '-e', server], expose: ['9000'] } } }));
  const env = { ENVTEST_ARTIFACTS: artifacts };
  try {
    await measureOk('node', [envtestBin, 'up', '-f', file, '--run-id', runId], { env });
    const forwarder = execa('node', [envtestBin, 'forward', runId, 'blob:9000'], { reject: false, env });
    try {
      const address = await new Promise((resolve, reject) => {
        let seen = '';
        forwarder.stdout.on('data', (c) => {
          seen += c;
          const m = /^(\S+):(\d+) -> blob:9000$/m.exec(seen);
          if (m) resolve({ host: m[1], port: Number(m[2]) });
        });
        forwarder.once('exit', () => reject(new Error(`forward exited:\n${seen}`)));
      });
      const runs = [];
      for (let i = 0; i < rounds; i++) runs.push(await download(address));
      return {
        mb,
        mbPerS: summary(runs.map((r) => r.bytes / 1024 / 1024 / (r.ms / 1000))),
        firstByteMs: summary(runs.map((r) => r.firstByteMs)),
        complete: runs.filter((r) => r.bytes === mb * 1024 * 1024).length,
        transfers: rounds,
      };
    } finally {
      forwarder.kill('SIGINT');
      await forwarder;
    }
  } finally {
    await execa('node', [envtestBin, 'down', runId], { reject: false, env });
  }
}
