import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/artifacts/html/page.js';
import { buildReport } from '../../../src/artifacts/report.js';
import type { Transaction } from '../../../src/model/transaction.js';

const tx: Transaction = {
  id: '1.1.0', suite: 's', check: '<img src=x onerror=alert(1)>', target: 'api:80', kind: 'attempt', attempt: 1, sample: 0, startedAt: 5_000, endedAt: 5_010,
  phases: { connect: 1, firstByte: 5, total: 10 }, ok: false, message: 'expected 200, got 500',
  request: { protocol: 'http', method: 'GET', url: 'http://api:80/x', headers: { traceparent: '00-aa-bb-01' } },
  response: { protocol: 'http', status: 500, headers: { 'content-type': 'text/html' }, body: { text: '<script>alert("x")</script>', bytes: 28, truncated: false } },
};
const report = buildReport({
  runId: 'r', project: 'p', startedAt: 0, finishedAt: 9_000, environmentStartedAt: 1_000,
  services: [{ name: 'api', containerName: 'p-r-api', createdMs: 10, startedMs: 20, readyMs: 1_020 }],
  results: [{ suite: 's', name: tx.check, target: 'api:80', protocol: 'http', status: 'failed', attempts: 1, durationMs: 10, message: 'expected 200, got 500', startedAt: 5_000, finishedAt: 5_010, transactions: ['1.1.0'], failure: { id: '1.1.0', startedAt: 5_000, endedAt: 5_010 } }],
  teardown: { ms: 300, removed: { containers: ['p-r-api'], networks: ['p-r_default'], volumes: [] }, failed: [], remaining: 0 },
});

describe('report.html', () => {
  const html = renderHtml({ report, transactions: [tx] });

  it('is self-contained: no script, no external resource, a CSP that forbids both', () => {
    expect(html).not.toMatch(/<script|<link|@import|url\(|src=["']?https?:/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('shows what services and checks produced as text, never as markup', () => {
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });
});
