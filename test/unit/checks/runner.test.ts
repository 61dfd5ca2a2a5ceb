// The real bundled runner, as the sidecar runs it, against loopback servers started here.
import type http from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_LINE_PREFIX, jobLine } from '../../../src/model/job-line.js';
import type { RunnerEvent } from '../../../src/model/results.js';
import type { Check, RunnerJob } from '../../../src/model/suite.js';
import { checkFor, close, closedPort, httpServer, listen } from './helpers.js';

const root = join(import.meta.dirname, '../../..');
const runner = join(root, 'dist/sidecar-runner.cjs');
const servers: http.Server[] = [];

beforeAll(async () => {
  try {
    await execa('node', ['scripts/build.mjs'], { cwd: root });
  } catch {
    // build.mjs also bundles the CLI, which other work may have broken for a moment; the runner is
    // what is under test here, bundled with the same options.
    await build({
      entryPoints: [join(root, 'src/sidecar/main.ts')],
      outfile: runner,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      logLevel: 'warning',
      external: ['pg-native', 'cloudflare:sockets', 'bufferutil', 'utf-8-validate'],
    });
  }
});

afterAll(async () => {
  await Promise.all(servers.map(close));
});

async function serve(handler: http.RequestListener): Promise<number> {
  const server = httpServer(handler);
  servers.push(server);
  return listen(server);
}

/** The runner as the sidecar runs it: started first, sent its job on stdin (`afterMs` later), as one line. */
async function run(job: RunnerJob | string, opts: { jobAfterMs?: number } = {}) {
  const proc = execa('node', [runner], { reject: false, lines: true });
  const send = (async () => {
    if (opts.jobAfterMs) await new Promise((r) => setTimeout(r, opts.jobAfterMs));
    // After what Podman puts first on a container's stdin (its attach request's body, no newline).
    proc.stdin.write(`{"stream":true,"stdin":true}${typeof job === 'string' ? `\n${JOB_LINE_PREFIX}${job}\n` : jobLine(job)}`);
  })();
  // Read line by line as they arrive, to prove progress is streamed rather than printed at the end.
  const arrivals: { at: number; event: RunnerEvent }[] = [];
  for await (const line of proc) arrivals.push({ at: Date.now(), event: JSON.parse(line) as RunnerEvent });
  const result = await proc;
  await send;
  return { exitCode: result.exitCode, stderr: result.stderr, arrivals, events: arrivals.map((a) => a.event), end: Date.now() };
}

const named = (c: Check, name: string): Check => ({ ...c, name });

describe('bundled sidecar runner', () => {
  it('streams start and result per check and a final done, exiting 0 even when checks fail', async () => {
    const ok = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
    const down = await serve((_req, res) => res.writeHead(503).end('maintenance'));
    const slow = await serve((_req, res) => setTimeout(() => res.end('late'), 1200));
    const closed = await closedPort();
    const job: RunnerJob = {
      concurrency: 8,
      suites: [
        {
          name: 'loopback',
          file: 'loopback.yaml',
          checks: [
            named(checkFor('http', ok, { expect: { status: [200], json: { status: 'ok' } }, samples: 10, latency: { p99: 5000 } }), 'healthy'),
            named(checkFor('http', down, { expect: { status: [200] } }), 'down'),
            named(checkFor('tcp', closed, { expect: { open: false }, retry: { forMs: 15_000, everyMs: 200 } }), 'admin closed'),
            named(checkFor('http', slow, { timeoutMs: 3000 }), 'slow'),
          ],
        },
      ],
    };
    const { exitCode, events, arrivals, end } = await run(job);
    expect(exitCode).toBe(0);

    const byType = (t: RunnerEvent['type']) => events.filter((e) => e.type === t);
    expect(byType('start')).toHaveLength(4);
    expect(byType('result')).toHaveLength(4);
    expect(events.at(-1)).toEqual({ type: 'done', passed: 3, failed: 1 });
    for (const e of byType('result')) {
      const name = (e as { name: string }).name;
      expect(events.findIndex((x) => x.type === 'start' && x.name === name)).toBeLessThan(events.indexOf(e));
    }

    const result = (name: string) => events.find((e) => e.type === 'result' && e.name === name) as Extract<RunnerEvent, { type: 'result' }>;
    expect(result('healthy')).toMatchObject({ status: 'passed', suite: 'loopback', protocol: 'http', attempts: 1, latency: { samples: 10 } });
    expect(result('healthy').samplesMs).toHaveLength(10);
    expect(result('down')).toMatchObject({ status: 'failed', message: 'expected status 200, got 503 (body: "maintenance")', attempts: 1 });
    expect(result('admin closed')).toMatchObject({ status: 'passed', attempts: 1, message: 'not reachable (ECONNREFUSED)' });
    expect(result('slow')).toMatchObject({ status: 'passed' });

    // Every attempt and sample came back as a transaction line, before its check's result.
    const txs = byType('transaction') as Extract<RunnerEvent, { type: 'transaction' }>[];
    expect(txs.filter((t) => t.check === 'healthy').map((t) => t.id)).toEqual(['1.1.0', ...Array.from({ length: 10 }, (_, i) => `1.1.${i + 1}`)]);
    expect(result('healthy').transactions).toHaveLength(11);
    expect(txs.find((t) => t.check === 'down')).toMatchObject({ ok: false, response: { protocol: 'http', status: 503, body: { text: 'maintenance' } } });
    for (const t of txs) expect(events.indexOf(t)).toBeLessThan(events.findIndex((e) => e.type === 'result' && e.name === t.check));

    // The fast results were on stdout well before the slow check let the runner finish.
    const firstResult = arrivals.find((a) => a.event.type === 'result')!;
    expect(end - firstResult.at).toBeGreaterThan(500);
  });

  it('honours the concurrency bound', async () => {
    let inFlight = 0;
    let peak = 0;
    const port = await serve((_req, res) => {
      peak = Math.max(peak, ++inFlight);
      setTimeout(() => (inFlight--, res.end()), 100);
    });
    const checks = Array.from({ length: 6 }, (_, i) => named(checkFor('http', port), `c${i}`));
    const { events } = await run({ concurrency: 2, suites: [{ name: 's', file: 's.yaml', checks }] });
    expect(events.at(-1)).toEqual({ type: 'done', passed: 6, failed: 0 });
    expect(peak).toBe(2);
  });

  it('started before its job exists (while the stack comes up), it waits for the job on stdin and then runs it', async () => {
    const port = await serve((_req, res) => res.end('ok'));
    const { exitCode, events } = await run({ concurrency: 1, suites: [{ name: 's', file: 's.yaml', checks: [named(checkFor('http', port), 'late job')] }] }, { jobAfterMs: 400 });
    expect(exitCode).toBe(0);
    expect(events.at(-1)).toEqual({ type: 'done', passed: 1, failed: 0 });
  });

  it('reports a runner failure as a fatal line and exit code 2', async () => {
    const bad = await run('{"not":"a job"}');
    expect(bad.exitCode).toBe(2);
    expect(bad.events).toEqual([{ type: 'fatal', message: expect.stringMatching(/is not a runner job/) as unknown as string }]);

    // Its stdin ends before any job: the orchestrator is gone, and nothing will come.
    const orphaned = await execa('node', [runner], { reject: false, input: '' });
    expect(orphaned.exitCode).toBe(2);
    expect(JSON.parse(orphaned.stdout)).toMatchObject({ type: 'fatal', message: 'stdin closed before a job came' });
  });
});
