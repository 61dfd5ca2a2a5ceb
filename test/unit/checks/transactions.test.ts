// Every attempt and sample is a transaction with its request, response and phases, redacted and capped.
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/checks/clock.js';
import { protocols } from '../../../src/checks/registry.js';
import { runCheck } from '../../../src/checks/run-check.js';
import type { Transaction } from '../../../src/model/transaction.js';
import { checkFor, closedPort, loopbackHttp } from './helpers.js';

const serve = loopbackHttp();

function collecting() {
  const txs: Transaction[] = [];
  return { txs, deps: { protocols, clock: systemClock, onTransaction: (t: Transaction) => txs.push(t) } };
}

describe('transactions', () => {
  it('records each retry attempt and each sample with request, response, phases and the traceparent sent', async () => {
    const seen: (string | undefined)[] = [];
    let calls = 0;
    const port = await serve((req, res) => {
      seen.push(req.headers.traceparent as string | undefined);
      // Fails twice, then passes: two failed attempts, one passing, then the samples.
      if (++calls <= 2) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('warming up');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    });
    const { txs, deps } = collecting();
    const check = checkFor('http', port, {
      options: { path: '/healthz', method: 'POST', body: 'ping', headers: { 'x-api-key': 'hunter2-secret' } },
      expect: { status: [200] },
      retry: { forMs: 5000, everyMs: 20 },
      samples: 3,
    });
    const result = await runCheck('s', check, deps, 4);

    expect(result).toMatchObject({ status: 'passed', attempts: 3, transactions: ['4.1.0', '4.2.0', '4.3.0', '4.3.1', '4.3.2', '4.3.3'] });
    expect(txs.map((t) => [t.id, t.kind, t.ok])).toEqual([
      ['4.1.0', 'attempt', false],
      ['4.2.0', 'attempt', false],
      ['4.3.0', 'attempt', true],
      ['4.3.1', 'sample', true],
      ['4.3.2', 'sample', true],
      ['4.3.3', 'sample', true],
    ]);
    const first = txs[0]!;
    expect(first.request).toMatchObject({
      protocol: 'http',
      method: 'POST',
      url: `http://127.0.0.1:${port}/healthz`,
      body: { text: 'ping', bytes: 4, truncated: false },
    });
    // The header's value is a secret (its name says so): never on record.
    expect(JSON.stringify(txs)).not.toContain('hunter2-secret');
    expect((first.request as { headers: Record<string, string> }).headers['x-api-key']).toBe('***');
    expect(first.response).toMatchObject({ protocol: 'http', status: 503, body: { text: 'warming up' } });
    expect(first.message).toMatch(/expected status 200, got 503/);
    for (const t of txs) {
      expect(t.phases.total).toBeGreaterThan(0);
      expect(t.phases.connect).toBeGreaterThanOrEqual(0);
      expect(t.phases.firstByte).toBeGreaterThanOrEqual(t.phases.connect!);
      expect(t.endedAt).toBeGreaterThanOrEqual(t.startedAt);
      expect(t.startedAt).toBeGreaterThan(Date.now() - 60_000);
    }
    // Each transaction sent its own trace id in a W3C traceparent.
    expect(seen).toHaveLength(txs.length);
    txs.forEach((t, i) => expect(seen[i]).toMatch(new RegExp(`^00-${t.traceId}-[0-9a-f]{16}-01$`)));
    expect(new Set(txs.map((t) => t.traceId)).size).toBe(txs.length);
  });

  it('names the failing transaction and caps response bodies at 4 KiB', async () => {
    const big = 'x'.repeat(10_000);
    const port = await serve((_req, res) => res.writeHead(500).end(big));
    const { txs, deps } = collecting();
    const result = await runCheck('s', checkFor('http', port, { expect: { status: [200] } }), deps);
    expect(result.status).toBe('failed');
    expect(result.failure).toEqual({ id: '1.1.0', traceId: txs[0]!.traceId, startedAt: txs[0]!.startedAt, endedAt: txs[0]!.endedAt });
    expect(txs[0]!.response).toMatchObject({ status: 500, body: { bytes: 10_000, truncated: true } });
    expect((txs[0]!.response as { body: { text: string } }).body.text).toHaveLength(4096);
  });

  it('sends no traceparent when the check turns it off, and keeps one the check sets itself', async () => {
    const seen: (string | undefined)[] = [];
    const port = await serve((req, res) => (seen.push(req.headers.traceparent as string | undefined), res.end('ok')));
    const { deps } = collecting();
    await runCheck('s', checkFor('http', port, { options: { traceparent: false } }), deps);
    const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await runCheck('s', checkFor('http', port, { options: { headers: { TraceParent: own } } }), deps);
    expect(seen).toEqual([undefined, own]);
  });

  it('records an unreachable attempt with its error code and no response', async () => {
    const { txs, deps } = collecting();
    await runCheck('s', checkFor('tcp', await closedPort()), deps);
    expect(txs).toHaveLength(1);
    expect(txs[0]).toMatchObject({ ok: false, request: { protocol: 'tcp' }, error: { code: 'ECONNREFUSED' } });
    expect(txs[0]!.response).toBeUndefined();
  });
});
