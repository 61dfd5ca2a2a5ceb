// A run with one failing HTTP contract check on a stack whose services log each request with its
// traceparent (the "done when"): every attempt and sample is on record with its evidence, the failure carries the
// services' log lines in report.json, JUnit and the terminal, and no secret reaches any artifact.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/artifacts/report.js';
import type { Transaction } from '../../src/model/transaction.js';
import { noBrowserReason, openFile, textOf, visibleCount } from '../support/browser.js';
import { envtest, fixture, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const SECRET = 'tok-e2e-7c1d-do-not-leak';
const newRunId = runIdsRemovedAfterAll(afterAll);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('transactions and correlated logs', () => {
  // A copy outside the repository: nothing may depend on where the project lives.
  const stack = mkdtempSync(join(tmpdir(), 'envtest-traced-'));
  const artifacts = mkdtempSync(join(tmpdir(), 'envtest-traced-art-'));
  const id = newRunId('traced');
  let result: Awaited<ReturnType<typeof envtest>>;
  let dir: string;

  beforeAll(async () => {
    cpSync(fixture('stack-traced'), stack, { recursive: true });
    result = await envtest(
      ['run', '-f', join(stack, 'compose.yaml'), '--checks', join(stack, 'checks.yaml'), '--run-id', id, '--artifacts', artifacts, '--no-build'],
      { env: { API_TOKEN: SECRET } },
    );
    dir = join(artifacts, id);
  }, 240_000);

  it('fails with exit 1 and leaves nothing behind', async () => {
    expect(result.exitCode, result.all).toBe(1);
    expect(await leftovers(id)).toEqual([]);
  });

  it('writes a transaction for every attempt and sample, with request, response and phases', () => {
    const txs = readFileSync(join(dir, 'transactions.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Transaction);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
    for (const c of report.checks) {
      const mine = txs.filter((t) => t.check === c.name).map((t) => t.id);
      expect(mine.length).toBeGreaterThan(0);
      // report.json names exactly the transactions on record for the check, attempts then samples.
      expect(c.transactions).toEqual(mine);
      expect(mine.filter((t) => t.endsWith('.0'))).toHaveLength(c.attempts);
    }
    const health = report.checks.find((c) => c.name === 'api health')!;
    expect(txs.filter((t) => t.check === 'api health' && t.kind === 'sample')).toHaveLength(5);
    expect(health.transactions).toHaveLength(health.attempts + 5);

    const orders = txs.filter((t) => t.check === 'orders contract');
    expect(orders.length).toBeGreaterThan(1); // retried within its window
    for (const t of [...orders, ...txs.filter((x) => x.check === 'api health')]) {
      expect(t.request).toMatchObject({ protocol: 'http', method: 'GET', url: expect.stringMatching(/^http:\/\/api:8080\//) as unknown });
      expect(t.response).toMatchObject({ protocol: 'http', status: expect.any(Number) as unknown, body: { text: expect.any(String) as unknown } });
      expect(t.phases).toMatchObject({ dns: expect.any(Number), connect: expect.any(Number), firstByte: expect.any(Number), total: expect.any(Number) });
      expect(t.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect((t.request as { headers: Record<string, string> }).headers.traceparent).toContain(t.traceId);
    }
    expect(orders.every((t) => !t.ok && (t.response as { status: number }).status === 502)).toBe(true);
    const closed = txs.find((t) => t.check === 'backend port closed to the world')!;
    expect(closed).toMatchObject({ ok: true, request: { protocol: 'probe', port: 9999 }, response: { connected: false } });
  });

  it('attaches the target service and its dependency logs to the failure in report.json, JUnit and the terminal', () => {
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
    const failed = report.checks.find((c) => c.status === 'failed')!;
    expect(failed.name).toBe('orders contract');
    const traceId = failed.failure!.traceId!;
    const logs = failed.logs!;
    // The api saw the failing request, and backend (which api forwards to) logged its error, both with the trace id.
    expect(logs.some((l) => l.service === 'api' && l.line.includes(`GET /orders traceparent=00-${traceId}`))).toBe(true);
    expect(logs.some((l) => l.service === 'backend' && l.line.includes('ERROR stock table is missing') && l.line.includes(traceId))).toBe(true);
    expect(logs.some((l) => l.service === 'quiet')).toBe(false);
    for (const l of logs.filter((x) => x.match === 'window')) {
      expect(l.at).toBeGreaterThanOrEqual(failed.failure!.startedAt - 1000);
      expect(l.at).toBeLessThanOrEqual(failed.failure!.endedAt + 1000);
    }
    expect(report.checks.filter((c) => c.status === 'passed').every((c) => c.logs === undefined)).toBe(true);

    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    const out = /<testcase [^>]*name="orders contract"[^]*?<system-out>([^]*?)<\/system-out>/.exec(junit)?.[1] ?? '';
    expect(out).toContain(traceId);
    expect(out).toContain('ERROR stock table is missing');

    const summary = result.stdout.split('\n');
    const at = summary.findIndex((l) => l.includes('✗ traced › orders contract'));
    const under = summary.slice(at + 1).filter((l) => l.startsWith('      │'));
    expect(under.length).toBeGreaterThan(0);
    expect(under.length).toBeLessThanOrEqual(21);
    expect(under.join('\n')).toContain(traceId);

    // The plain log stays plain; its structured twin has the engine's time for each line.
    expect(readFileSync(join(dir, 'logs/api.log'), 'utf8')).toMatch(/^\S+ api listening on 8080$/m);
    const twin = readFileSync(join(dir, 'logs/api.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { at: number; line: string });
    expect(twin.find((l) => l.line.endsWith('listening on 8080'))!.at).toBeGreaterThan(Date.now() - 3_600_000);
  });

  it('writes metrics.json (timeline, latency distribution, resources) and metrics.prom', () => {
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as {
      timeline: { services: { name: string; readyMs: number }[]; checks: { name: string; startMs: number; endMs: number }[] };
      services: Record<string, { resources: { at: number; memoryBytes: number }[] }>;
      checks: { name: string; latency?: Record<string, number>; samplesMs: number[] }[];
    };
    expect(metrics.timeline.services.map((s) => s.name).sort()).toEqual(['api', 'backend', 'quiet']);
    const apiReady = metrics.timeline.services.find((s) => s.name === 'api')!.readyMs;
    // Checks start after every service is ready, on the same axis.
    for (const c of metrics.timeline.checks) expect(c.startMs).toBeGreaterThanOrEqual(apiReady);
    for (const s of Object.values(metrics.services)) {
      expect(s.resources.length).toBeGreaterThan(0);
      expect(s.resources[0]!.memoryBytes).toBeGreaterThan(0);
    }
    const health = metrics.checks.find((c) => c.name === 'api health')!;
    expect(Object.keys(health.latency!).sort()).toEqual(['max', 'min', 'p50', 'p95', 'p99', 'samples']);
    expect(health.samplesMs).toHaveLength(5);
    const prom = readFileSync(join(dir, 'metrics.prom'), 'utf8');
    expect(prom.trimEnd().endsWith('# EOF')).toBe(true);
    expect(prom).toMatch(/^envtest_check_latency_seconds_count\{run="[^"]+",suite="traced",check="api health"\} 5$/m);
    expect(prom).toMatch(/^envtest_check_passed\{run="[^"]+",suite="traced",check="orders contract"\} 0$/m);
  });

  it('puts no secret value in any artifact or on the terminal', () => {
    for (const file of filesUnder(dir)) expect(readFileSync(file, 'utf8'), file).not.toContain(SECRET);
    expect(result.all).not.toContain(SECRET);
    // The service echoed it in its response body and logged it as a header: both on record, redacted.
    expect(readFileSync(join(dir, 'transactions.ndjson'), 'utf8')).toContain('\\"token\\":\\"***\\"');
    expect(readFileSync(join(dir, 'logs/api.log'), 'utf8')).toMatch(/GET \/orders traceparent=\S+ authorization=\*\*\*/);
  });
});

describe('report.html', () => {
  // Its own run, so this file's tests stay independent of each other's order.
  const stack = mkdtempSync(join(tmpdir(), 'envtest-traced-html-'));
  const artifacts = mkdtempSync(join(tmpdir(), 'envtest-traced-html-art-'));
  const id = newRunId('traced-html');
  let dir: string;

  beforeAll(async () => {
    cpSync(fixture('stack-traced'), stack, { recursive: true });
    const run = await envtest(
      ['run', '-f', join(stack, 'compose.yaml'), '--checks', join(stack, 'checks.yaml'), '--run-id', id, '--artifacts', artifacts, '--no-build'],
      { env: { API_TOKEN: SECRET } },
    );
    expect(run.exitCode, run.all).toBe(1);
    dir = join(artifacts, id);
  }, 240_000);

  it.skipIf(noBrowserReason() !== undefined)(`opens in headless chromium with no request leaving the file and shows the timeline, services, checks and failure ${noBrowserReason() ?? ''}`, async () => {
    const file = join(dir, 'report.html');
    const { browser, page, requests } = await openFile(file);
    try {
      expect(requests).toEqual([pathToFileURL(file).href]);
      const visible = (selector: string) => visibleCount(page, selector);
      expect(await visible('svg.timeline')).toBe(1);
      for (const service of ['api', 'backend', 'quiet']) {
        expect(await visible(`svg.timeline g.row.service[data-label="${service}"] rect.bar`)).toBeGreaterThan(0);
      }
      expect(await visible('tr.service')).toBe(3);
      for (const check of ['api health', 'orders contract', 'backend port closed to the world']) {
        expect(await visible(`svg.timeline g.row.check[data-label="traced › ${check}"] rect.bar`)).toBe(1);
        expect(await visible(`.chart[data-check="${check}"] svg.latency`)).toBe(1);
      }
      expect(await visible('tr.check')).toBe(3);
      expect(await visible('svg.timeline g.row.teardown rect.bar')).toBe(1);
      const failure = await textOf(page, 'section.failure[data-check="orders contract"]');
      expect(failure).toContain('GET http://api:8080/orders');
      expect(failure).toContain('502 Bad Gateway');
      expect(failure).toContain('ERROR stock table is missing');
      expect(failure).toMatch(/trace [0-9a-f]{32}/);
      expect(await textOf(page, '#teardown + p')).toMatch(/Removed in \d+ms; 0 resources left behind/);
      expect(await page.content()).not.toContain(SECRET);
      const shot = join(mkdtempSync(join(tmpdir(), 'envtest-report-shot-')), 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('is rendered again by `envtest report`, and `--format text` prints the summary', async () => {
    const file = join(dir, 'report.html');
    const original = readFileSync(file, 'utf8');
    rmSync(file);
    const again = await envtest(['report', dir]);
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout.trim()).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe(original);

    const text = await envtest(['report', dir, '--format', 'text']);
    expect(text.exitCode, text.all).toBe(0);
    expect(text.stdout).toContain(`run ${id}: failed — 3 checks, 2 passed, 1 failed`);
    expect(text.stdout).toContain('✗ traced › orders contract');
    expect(text.stdout).toContain('ERROR stock table is missing');

    const missing = await envtest(['report', join(dir, 'nope')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('is not a run\'s artifacts folder');
  });
});
