// A latency chart per check: every transaction's total time in order (attempts, then samples),
// failed ones in red, with the p50 and p95 of the samples as lines.
import type { LatencySummary } from '../../model/results.js';
import type { Transaction } from '../../model/transaction.js';
import { h, ms } from './escape.js';

const W = 460;
const H = 120;
const PAD = 28;

export function latencySvg(txs: Transaction[], latency: LatencySummary | undefined): string {
  if (!txs.length) return '<p class="muted">No transaction on record.</p>';
  const values = txs.map((t) => t.phases.total);
  const max = Math.max(1, ...values);
  const x = (i: number) => PAD + (txs.length === 1 ? (W - PAD * 2) / 2 : (i / (txs.length - 1)) * (W - PAD * 2));
  const y = (v: number) => H - PAD + 10 - (v / max) * (H - PAD - 10);
  const line = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const dots =
    txs.length <= 300
      ? txs
          .map((t, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(t.phases.total).toFixed(1)}" r="3" class="${t.ok ? 'ok' : 'bad'}"><title>${h(`${t.id} ${t.kind} ${ms(t.phases.total)}${t.ok ? '' : ' failed'}`)}</title></circle>`)
          .join('')
      : '';
  const guide = (v: number | undefined, name: string) =>
    v === undefined ? '' : `<line x1="${PAD}" x2="${W - PAD}" y1="${y(v)}" y2="${y(v)}" class="guide ${name}"/><text x="${W - PAD + 2}" y="${y(v) + 4}" class="tick">${name}</text>`;
  return `<svg class="latency" viewBox="0 0 ${W + 20} ${H}" role="img" aria-label="latency per transaction">
<line x1="${PAD}" x2="${PAD}" y1="4" y2="${H - PAD + 10}" class="axis"/><line x1="${PAD}" x2="${W - PAD}" y1="${H - PAD + 10}" y2="${H - PAD + 10}" class="axis"/>
<text x="2" y="12" class="tick">${h(ms(max))}</text><text x="2" y="${H - PAD + 10}" class="tick">0</text>
<text x="${PAD}" y="${H - 4}" class="tick">${txs.length} transaction${txs.length === 1 ? '' : 's'} in order</text>
${guide(latency?.p50, 'p50')}${guide(latency?.p95, 'p95')}<polyline points="${line}" class="series"/>${dots}</svg>`;
}
