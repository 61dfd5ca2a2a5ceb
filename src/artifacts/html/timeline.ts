// The start timeline as inline SVG: per service a bar from created to started (pale) and from
// started to ready (solid), then each check's span and the teardown, all on one time axis.
import type { RunReport } from '../report.js';
import { checkSpans } from '../metrics.js';
import { h, ms } from './escape.js';

const ROW = 22;
const LABEL = 260;
const WIDTH = 1000;

interface Row {
  label: string;
  kind: 'service' | 'check' | 'teardown';
  bars: { from: number; to: number; cls: string; title: string }[];
}

function rows(report: RunReport): Row[] {
  const out: Row[] = report.services.map((s) => ({
    label: s.name,
    kind: 'service',
    bars: [
      { from: s.createdMs, to: s.startedMs, cls: 'created', title: `${s.name} created at ${ms(s.createdMs)}, started at ${ms(s.startedMs)}` },
      ...(s.readyMs !== undefined ? [{ from: s.startedMs, to: s.readyMs, cls: 'starting', title: `${s.name} ready at ${ms(s.readyMs)}${s.readiness ? ` (${[s.readiness, s.readinessSource].filter(Boolean).join(', ')})` : ''}` }] : []),
    ],
  }));
  for (const c of checkSpans(report)) {
    out.push({ label: `${c.suite} › ${c.name}`, kind: 'check', bars: [{ from: c.startMs, to: c.endMs, cls: c.status, title: `${c.name}: ${c.status}, ${ms(c.endMs - c.startMs)}` }] });
  }
  const origin = report.environmentStartedAt;
  if (report.teardown && origin !== undefined) {
    // Teardown ends just before the report is written; its start is its length before that.
    const end = Date.parse(report.finishedAt) - origin;
    out.push({ label: 'teardown', kind: 'teardown', bars: [{ from: end - report.teardown.ms, to: end, cls: 'teardown', title: `teardown ${ms(report.teardown.ms)}` }] });
  }
  return out;
}

function ticks(maxMs: number): number[] {
  const steps = [100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000];
  const step = steps.find((s) => maxMs / s <= 10) ?? 600_000;
  return Array.from({ length: Math.floor(maxMs / step) + 1 }, (_, i) => i * step);
}

export function timelineSvg(report: RunReport): string {
  const all = rows(report);
  if (!all.length) return '<p class="muted">No service was started.</p>';
  const maxMs = Math.max(1, ...all.flatMap((r) => r.bars.map((b) => b.to)));
  const x = (t: number) => LABEL + (Math.max(0, t) / maxMs) * (WIDTH - LABEL - 10);
  const height = (all.length + 1) * ROW + 10;
  const axis = ticks(maxMs)
    .map((t) => `<line x1="${x(t)}" x2="${x(t)}" y1="0" y2="${height - ROW}" class="grid"/><text x="${x(t)}" y="${height - 6}" class="tick">${t >= 1000 ? `${t / 1000}s` : `${t}ms`}</text>`)
    .join('');
  const body = all
    .map((r, i) => {
      const y = i * ROW + 4;
      const bars = r.bars
        .map((b) => `<rect x="${x(b.from)}" y="${y + 3}" width="${Math.max(2, x(b.to) - x(b.from))}" height="${ROW - 8}" class="bar ${b.cls}"><title>${h(b.title)}</title></rect>`)
        .join('');
      return `<g class="row ${r.kind}" data-label="${h(r.label)}"><text x="${LABEL - 8}" y="${y + ROW / 2 + 4}" class="label">${h(r.label.length > 38 ? `${r.label.slice(0, 37)}…` : r.label)}</text>${bars}</g>`;
    })
    .join('');
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="start timeline">${axis}${body}</svg>
<p class="legend"><span class="key created"></span>created → started <span class="key starting"></span>started → ready <span class="key passed"></span>check passed <span class="key failed"></span>check failed <span class="key teardown"></span>teardown</p>`;
}
