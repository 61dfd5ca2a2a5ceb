// The inventory for people: one table per service, the findings that need attention spelt out.
import type { PortFinding, PortInventory } from '../model/ports.js';

const HEAD = ['PORT', 'DECLARED', 'ADDRESSES', 'REACHABLE', 'SPEAKS', 'FINDING'];

export function portsTable(inventory: PortInventory): string {
  const lines = [`run ${inventory.runId} (project ${inventory.project})`];
  for (const [service, ports] of Object.entries(inventory.services)) {
    lines.push('', service);
    if (ports.length === 0) {
      lines.push('  (no declared ports, nothing listening)');
      continue;
    }
    const rows = [HEAD, ...ports.map(row)];
    const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) lines.push(`  ${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}`);
    for (const p of ports) {
      if (p.note && !p.replicas) lines.push(`  ${p.port}/${p.protocol}: ${p.note}`);
      // A scaled service: each container that is not ok is named.
      for (const r of p.replicas ?? []) if (r.finding !== 'ok') lines.push(`  ${p.port}/${p.protocol} on ${service}-${r.replica}: ${r.finding}${r.note ? ` (${r.note})` : ''}`);
    }
  }
  return lines.join('\n');
}

function row(p: PortFinding): string[] {
  return [
    `${p.port}/${p.protocol}`,
    p.declared ? 'yes' : 'no',
    p.addresses.join(',') || '-',
    p.reachable === null ? '-' : p.reachable ? 'yes' : 'no',
    p.speaks ?? '-',
    p.finding,
  ];
}
