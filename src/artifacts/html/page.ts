// report.html: the whole run on one self-contained page (no script, no font, no request of any
// kind; a Content-Security-Policy forbids them too), readable from disk or a CI artifact viewer.
import type { Transaction } from '../../model/transaction.js';
import { formatLogLine } from '../correlate.js';
import type { MetricsDocument } from '../metrics.js';
import type { ReportCheck, RunReport } from '../report.js';
import { bytes, h, ms } from './escape.js';
import { latencySvg } from './latency.js';
import { STYLE } from './style.js';
import { timelineSvg } from './timeline.js';

export interface HtmlInput {
  report: RunReport;
  metrics?: MetricsDocument;
  transactions: Transaction[];
}

const key = (suite: string, name: string) => `${suite}\u0000${name}`;

function servicesTable(report: RunReport, metrics: MetricsDocument | undefined): string {
  if (!report.services.length) return '<p class="muted">No service was started.</p>';
  const rows = report.services.map((s) => {
    const usage = metrics?.services[s.name]?.usage;
    return `<tr class="service"><td>${h(s.name)}</td><td>${h(s.containerName)}</td><td>${h(s.readiness ? [s.readiness, s.readinessSource && `(${s.readinessSource})`].filter(Boolean).join(' ') : '—')}</td><td class="num">${ms(s.createdMs)}</td><td class="num">${ms(s.startedMs)}</td><td class="num">${ms(s.readyMs)}</td><td class="num">${usage?.cpuPercent ? `${usage.cpuPercent.max.toFixed(1)}%` : '—'}</td><td class="num">${bytes(usage?.memoryBytes.max)}</td><td class="num">${usage?.samples ?? 0}</td></tr>`;
  });
  return `<table><thead><tr><th>service</th><th>container</th><th>ready by</th><th>created</th><th>started</th><th>ready</th><th>CPU max</th><th>memory max</th><th>samples</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function checksTable(report: RunReport): string {
  if (!report.checks.length) return '<p class="muted">No check ran.</p>';
  const rows = report.checks.map(
    (c) =>
      `<tr class="check ${h(c.status)}"><td>${c.status === 'passed' ? '✓ passed' : '✗ failed'}</td><td>${h(c.suite)} › ${h(c.name)}</td><td>${h(c.target)}</td><td>${h(c.protocol)}</td><td class="num">${c.attempts}</td><td class="num">${ms(c.durationMs)}</td><td class="num">${c.latency ? `${ms(c.latency.p50)} / ${ms(c.latency.p95)} / ${ms(c.latency.p99)}` : '—'}</td><td>${h(c.message)}</td></tr>`,
  );
  return `<table><thead><tr><th>result</th><th>check</th><th>target</th><th>protocol</th><th>attempts</th><th>time</th><th>p50 / p95 / p99</th><th>message</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function requestText(tx: Transaction): string {
  const r = tx.request;
  if (!r) return '(nothing was sent)';
  if (r.protocol === 'http') {
    const headers = Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`);
    return [`${r.method} ${r.url}`, ...headers, ...(r.body ? ['', r.body.text + (r.body.truncated ? `\n… (${r.body.bytes} bytes)` : '')] : [])].join('\n');
  }
  return JSON.stringify(r, null, 2);
}

function responseText(tx: Transaction): string {
  const r = tx.response;
  if (!r) return tx.error ? `no response: ${tx.error.code ? `${tx.error.code} ` : ''}${tx.error.message}` : '(no response)';
  if (r.protocol === 'http') {
    const headers = Object.entries(r.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
    return [`${r.status} ${r.statusText ?? ''}`.trim(), ...headers, '', r.body.text + (r.body.truncated ? `\n… (${r.body.bytes} bytes)` : '')].join('\n');
  }
  return JSON.stringify(r, null, 2);
}

function phasesText(tx: Transaction): string {
  return (['dns', 'connect', 'tls', 'firstByte', 'total'] as const)
    .filter((p) => tx.phases[p] !== undefined)
    .map((p) => `${p} ${ms(tx.phases[p])}`)
    .join(' · ');
}

function failureBlock(c: ReportCheck, byId: Map<string, Transaction>): string {
  const tx = c.failure ? byId.get(c.failure.id) : undefined;
  const logs = c.logs ?? [];
  const logLines = logs.map((l) => `<span class="${l.match}">${h(formatLogLine(l))}</span>`).join('\n');
  return `<section class="failure" data-check="${h(c.name)}">
<h3>✗ ${h(c.suite)} › ${h(c.name)} <span class="muted">(${h(c.target)}, ${c.attempts} attempt${c.attempts === 1 ? '' : 's'})</span></h3>
<p class="message">${h(c.snapshot?.changes?.length ? (c.message.split('\n')[0] ?? '') : c.message)}</p>
${c.snapshot?.changes?.length ? `<h3>snapshot diff (${h(c.snapshot.file)})</h3><pre class="snapshot-diff">${h(c.snapshot.changes.join('\n'))}</pre>` : ''}
${
  tx
    ? `<p class="muted">transaction ${h(tx.id)}${tx.traceId ? ` · trace ${h(tx.traceId)}` : ''} · ${h(new Date(tx.startedAt).toISOString())} · ${h(phasesText(tx))}</p>
<div class="pair"><div><h3>request</h3><pre class="request">${h(requestText(tx))}</pre></div><div><h3>response</h3><pre class="response">${h(responseText(tx))}</pre></div></div>`
    : '<p class="muted">No single transaction failed this check (a latency bound); see the chart above.</p>'
}
<h3>service logs around the failure</h3>
${logs.length ? `<pre class="log">${logLines}</pre>` : '<p class="muted">No service log line in the window.</p>'}
</section>`;
}

function teardownBlock(report: RunReport): string {
  const t = report.teardown;
  if (!t) return '<p class="muted">The environment was kept (or attached), so nothing was removed.</p>';
  const list = (name: string, items: string[]) => `<tr><td>${name}</td><td class="num">${items.length}</td><td>${items.map(h).join(', ') || '—'}</td></tr>`;
  const failed = t.failed.length ? `<pre class="log">${t.failed.map((f) => h(`${f.kind} ${f.name}: ${f.error}`)).join('\n')}</pre>` : '';
  return `<p>Removed in ${ms(t.ms)}; ${t.remaining} resource${t.remaining === 1 ? '' : 's'} left behind.</p>
<table class="teardown"><thead><tr><th>kind</th><th>removed</th><th>names</th></tr></thead><tbody>${list('containers', t.removed.containers)}${list('networks', t.removed.networks)}${list('volumes', t.removed.volumes)}</tbody></table>${failed}`;
}

export function renderHtml({ report, metrics, transactions }: HtmlInput): string {
  const byCheck = new Map<string, Transaction[]>();
  for (const t of transactions) byCheck.set(key(t.suite, t.check), [...(byCheck.get(key(t.suite, t.check)) ?? []), t]);
  const byId = new Map(transactions.map((t) => [t.id, t]));
  const failures = report.checks.filter((c) => c.status === 'failed');
  const { total, passed, failed } = report.summary;
  const charts = report.checks
    .map((c) => `<div class="chart" data-check="${h(c.name)}"><h3>${h(c.suite)} › ${h(c.name)}</h3>${latencySvg(byCheck.get(key(c.suite, c.name)) ?? [], c.latency)}</div>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>envtest ${h(report.runId)}: ${h(report.status)}</title>
<style>${STYLE}</style></head>
<body><main>
<h1>envtest run ${h(report.runId)} <span class="status ${h(report.status)}">${h(report.status)}</span></h1>
<p class="muted">project ${h(report.project)} · started ${h(report.startedAt)} · ${ms(report.durationMs)} · ${total} checks, ${passed} passed, ${failed} failed</p>
${report.error ? `<div class="failure"><p class="message">${h(report.error)}</p></div>` : ''}
<h2 id="timeline">Start timeline</h2>
${timelineSvg(report)}
<h2 id="services">Services</h2>
${servicesTable(report, metrics)}
<h2 id="checks">Checks</h2>
${checksTable(report)}
<h2 id="latency">Latency per check</h2>
<div class="charts">${charts || '<p class="muted">No check ran.</p>'}</div>
<h2 id="failures">Failures</h2>
${failures.length ? failures.map((c) => failureBlock(c, byId)).join('\n') : '<p class="muted">None.</p>'}
<h2 id="teardown">Teardown</h2>
${teardownBlock(report)}
</main></body></html>
`;
}
