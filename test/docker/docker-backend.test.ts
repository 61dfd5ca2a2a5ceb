import { readlinkSync } from 'node:fs';
// The Docker backend's verbs on the real engine: a service starts with its files already in place,
// a job runs on the run's network with files copied in and a line sent down its held stdin, a job
// can share a service's network namespace, a held job's stdin goes with its hold, and everything made
// is listed by the run's label and removed by the verbs, leaving nothing behind.
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerBackend } from '../../src/runtime/docker/docker-backend.js';
import { leftovers, uniqueRunId } from '../support/cli.js';

const backend = new DockerBackend();
const runId = uniqueRunId('backend');
const labels = { 'envtest.run': runId, 'envtest.project': 'p' };
const IMAGE = 'envtest/sidecar:latest';

const text = async (s: NodeJS.ReadableStream) => {
  let out = '';
  for await (const c of s) out += String(c);
  return out;
};

afterAll(async () => {
  const ids = await leftovers(runId);
  if (ids.length) await execa('docker', ['rm', '-f', ...ids], { reject: false });
  await execa('docker', ['network', 'rm', `${runId}-net`], { reject: false });
});

describe('DockerBackend', () => {
  let network = '';
  let service = '';

  it('starts a service whose files are there before its first instruction, and reports it running', async () => {
    network = await backend.createNetwork({ name: `${runId}-net`, labels, internal: true });
    const created: string[] = [];
    service = await backend.startService(
      {
        name: `${runId}-web`,
        image: IMAGE,
        labels: { ...labels, 'envtest.service': 'web', 'envtest.role': 'service' },
        entrypoint: ['node', '-e'],
        // Reads the file at its first instruction: a copy made after the start would be missed.
        command: [`const t=require('fs').readFileSync('/etc/app/greeting','utf8'); require('http').createServer((q,r)=>r.end(t)).listen(8080)`],
        networks: [{ network: `${runId}-net`, aliases: ['web'] }],
      },
      { files: [{ path: '/etc/app/greeting', content: 'hello from a file', mode: 0o600 }], onCreated: (id) => void created.push(id) },
    );
    expect(created).toEqual([service]);
    const state = await backend.serviceState(service);
    expect(state.status).toBe('running');
  });

  it('runs a job on the run network with files copied in before it starts, sent a line on its held stdin while it runs, with its output and exit', async () => {
    const job = await backend.startJob(
      {
        name: `${runId}-job`,
        image: IMAGE,
        labels: { ...labels, 'envtest.role': 'sidecar' },
        entrypoint: ['node', '/job/run.cjs'],
        networks: [`${runId}-net`],
        holdStdin: true,
      },
      {
        files: [
          {
            path: '/job/run.cjs',
            // Waits for its first line on stdin, as the check runner waits for its job.
            content: `process.stdin.once('data',async(d)=>{const r=await fetch('http://web:8080');console.log(String(d).trim()+' '+await r.text());process.exit(7)})`,
          },
        ],
      },
    );
    const { stdout, stderr } = await job.output({ follow: true });
    stderr.resume();
    job.held!.output.resume();
    // Sent only once it runs: the job has waited for it.
    expect((await job.state()).status).toBe('running');
    job.held!.send('got\n');
    const [out, code] = await Promise.all([text(stdout), job.exited()]);
    job.held!.close();
    expect(out.trim()).toBe('got hello from a file');
    expect(code).toBe(7);
    expect((await job.state()).exitCode).toBe(7);
    await job.remove();
  });

  it('runs a job inside a service network namespace where the backend can', async () => {
    expect(backend.limits.shareNetworkNamespace).toBe(true);
    const job = await backend.startJob({
      name: `${runId}-peek`,
      image: IMAGE,
      labels: { ...labels, 'envtest.role': 'helper' },
      entrypoint: ['node', '-e'],
      command: [`fetch('http://127.0.0.1:8080').then(r=>r.text()).then(t=>console.log(t))`],
      networks: [],
      inNetworkOf: service,
    });
    const { stdout } = await job.output({ follow: true });
    expect((await text(stdout)).trim()).toBe('hello from a file');
    expect(await job.exited()).toBe(0);
    await job.remove();
  });

  it('holds a job stdin until the hold is closed, and a failed start leaves nothing', async () => {
    const job = await backend.startJob({
      name: `${runId}-held`,
      image: IMAGE,
      labels: { ...labels, 'envtest.role': 'helper' },
      entrypoint: ['sh', '-c', 'echo ready; cat >/dev/null; echo stdin-closed'],
      networks: [],
      isolated: true,
      holdStdin: true,
    });
    expect(job.held).toBeDefined();
    job.held!.output.resume();
    await new Promise((r) => setTimeout(r, 300));
    expect((await job.state()).status).toBe('running');
    job.held!.close();
    expect(await job.exited()).toBe(0);
    await job.remove();

    await expect(
      backend.startJob({ name: `${runId}-broken`, image: IMAGE, labels, entrypoint: ['/no/such/binary'], networks: [], isolated: true }),
    ).rejects.toThrow();
    const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `name=${runId}-broken`]);
    expect(stdout).toBe('');
  });

  it('runs a job in the engine host’s network namespace where asked (no namespace made for it)', async () => {
    const job = await backend.startJob({
      name: `${runId}-hostnet`,
      image: IMAGE,
      labels: { ...labels, 'envtest.role': 'helper' },
      entrypoint: ['readlink', '/proc/self/ns/net'],
      networks: [],
      hostNetwork: true,
    });
    expect(await job.exited()).toBe(0);
    const { stdout } = await job.output({ follow: false });
    let printed = '';
    for await (const chunk of stdout) printed += String(chunk);
    await job.remove();
    expect(printed.trim()).toBe(readlinkSync('/proc/self/ns/net'));
  });

  it('lists what carries the run label and removes it all through the verbs', async () => {
    const found = await backend.list({ 'envtest.run': runId });
    expect(found.containers.map((c) => c.id)).toEqual([service]);
    expect(found.networks.map((n) => n.id)).toEqual([network]);
    await backend.removeWorkload(service, { graceSeconds: 0 });
    await backend.removeNetwork(network);
    expect(await leftovers(runId)).toEqual([]);
  });
});
