// From what a service declares, what listens in its namespace and what the sidecar could dial, to
// one finding per port. Pure.
import type { PortFinding, ProbeResult } from '../../model/ports.js';
import { isLoopback, isWildcard, type ListeningSocket } from './proc-net.js';

export interface DeclaredPort {
  port: number;
  protocol: string;
}

/** A TCP listener to dial from the sidecar: one per address other services could use. */
export interface DialTarget {
  id: string;
  host: string;
  port: number;
}

type Key = `${'tcp' | 'udp'}/${number}`;
const keyOf = (protocol: 'tcp' | 'udp', port: number): Key => `${protocol}/${port}`;

interface PortSockets {
  protocol: 'tcp' | 'udp';
  port: number;
  declared: boolean;
  addresses: string[];
}

/** Declared ports and listeners merged per port and protocol, in port order. SCTP and other protocols are not read. */
export function portsOf(declared: DeclaredPort[], sockets: ListeningSocket[]): PortSockets[] {
  const byKey = new Map<Key, PortSockets>();
  for (const d of declared) {
    if (d.protocol !== 'tcp' && d.protocol !== 'udp') continue;
    byKey.set(keyOf(d.protocol, d.port), { protocol: d.protocol, port: d.port, declared: true, addresses: [] });
  }
  for (const s of sockets) {
    const entry = byKey.get(keyOf(s.protocol, s.port)) ?? { protocol: s.protocol, port: s.port, declared: false, addresses: [] };
    if (!entry.addresses.includes(s.address)) entry.addresses.push(s.address);
    byKey.set(keyOf(s.protocol, s.port), entry);
  }
  return [...byKey.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/**
 * Where other services can reach a TCP listener: a wildcard listener on each of the container's
 * addresses, a specific one only if the address is on one of the run's networks. An address on
 * none of them is reachable by no service, so it is not dialled at all (dialling it could route
 * out of the run's networks).
 */
export function dialTargets(service: string, entry: PortSockets, containerAddresses: string[]): DialTarget[] {
  if (entry.protocol !== 'tcp') return [];
  const hosts = new Set<string>();
  for (const a of entry.addresses) {
    if (isLoopback(a)) continue;
    if (isWildcard(a)) for (const c of containerAddresses) if (a === '::' || !c.includes(':')) hosts.add(c);
    const plain = a.startsWith('::ffff:') ? a.slice(7) : a;
    if (containerAddresses.includes(plain)) hosts.add(plain);
  }
  return [...hosts].map((host) => ({ id: `${service}/${host}/${entry.port}`, host, port: entry.port }));
}

export function judgePort(entry: PortSockets, dialled: DialTarget[], results: Map<string, ProbeResult>): PortFinding {
  const base = { port: entry.port, protocol: entry.protocol, declared: entry.declared, addresses: entry.addresses };
  if (entry.addresses.length === 0) return { ...base, reachable: false, finding: 'silent', speaks: null };
  if (entry.addresses.every(isLoopback)) return { ...base, reachable: false, finding: 'loopback-only', speaks: null };
  if (entry.protocol === 'udp') return { ...base, reachable: null, finding: entry.declared ? 'ok' : 'undeclared', speaks: null };
  const answers = dialled.map((t) => results.get(t.id));
  const reachable = answers.length > 0 && answers.every((r) => r?.reachable);
  const spoke = answers.find((r) => r?.reachable && r.speaks);
  const failed = answers.find((r) => r && !r.reachable);
  const note = reachable
    ? undefined
    : dialled.length === 0
      ? `listens on ${entry.addresses.filter((a) => !isLoopback(a)).join(', ')}, on none of the run's networks`
      : `dial from the sidecar failed${failed?.error ? ` (${failed.error})` : ''}`;
  return {
    ...base,
    reachable,
    finding: !entry.declared ? 'undeclared' : reachable ? 'ok' : 'unreachable',
    speaks: spoke?.speaks ?? null,
    ...(spoke?.answer ? { answer: spoke.answer } : {}),
    ...(note ? { note } : {}),
  };
}
