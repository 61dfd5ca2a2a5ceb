// `run --ports`: the inventory as checks of a suite named `ports`, so a port bound to 127.0.0.1
// fails CI in the terminal, report.json and JUnit even when no suite mentions it. Pure.
import { isBadFinding, type PortFinding, type PortInventory } from '../../model/ports.js';
import type { CheckResult } from '../../model/results.js';

export const PORTS_SUITE = 'ports';

export function portCheckResults(inventory: PortInventory, strict: boolean, durationMs: number): CheckResult[] {
  return Object.entries(inventory.services).flatMap(([service, ports]) =>
    ports.map((p) => ({
      suite: PORTS_SUITE,
      name: `${service}:${p.port}/${p.protocol} ${p.finding}`,
      target: `${service}:${p.port}`,
      protocol: p.protocol,
      status: isBadFinding(p.finding, strict) ? ('failed' as const) : ('passed' as const),
      attempts: 1,
      durationMs,
      message: describe(p, strict),
    })),
  );
}

function describe(p: PortFinding, strict: boolean): string {
  const on = p.addresses.join(', ');
  const speaks = p.speaks && p.speaks !== 'unknown' ? `, speaks ${p.speaks}` : '';
  switch (p.finding) {
    case 'ok':
      return p.protocol === 'udp' ? `declared, listening on ${on}` : `declared and reachable${speaks}`;
    case 'undeclared':
      return `listening on ${on}${speaks}, but declared nowhere (expose, ports, EXPOSE)${strict ? '' : '; fails only with --strict-ports'}`;
    case 'silent':
      return 'declared, but nothing listens on it';
    case 'loopback-only':
      return `listens only on ${on}: no other service can reach it`;
    case 'unreachable':
      return p.note ?? `listens on ${on}, but the sidecar could not reach it`;
  }
}
