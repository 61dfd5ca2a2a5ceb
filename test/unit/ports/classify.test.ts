import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../../src/model/ports.js';
import { dialTargets, judgePort, portsOf } from '../../../src/orchestrator/ports/classify.js';
import type { ListeningSocket } from '../../../src/orchestrator/ports/proc-net.js';

const tcp = (address: string, port: number): ListeningSocket => ({ protocol: 'tcp', address, port });
const container = ['10.1.0.5'];

function judge(declared: { port: number; protocol: string }[], sockets: ListeningSocket[], answer: (id: string) => ProbeResult | undefined) {
  return portsOf(declared, sockets).map((entry) => {
    const targets = dialTargets('svc', entry, container);
    const results = new Map(targets.map((t) => [t.id, answer(t.id)!] as const).filter(([, r]) => r));
    return { targets, finding: judgePort(entry, targets, results) };
  });
}

describe('port findings', () => {
  const reachable = (id: string): ProbeResult => ({ id, reachable: true, speaks: 'http', answer: { status: 200 } });

  it('declared and reachable is ok, with what it speaks', () => {
    const [r] = judge([{ port: 80, protocol: 'tcp' }], [tcp('0.0.0.0', 80)], reachable);
    expect(r!.targets.map((t) => t.host)).toEqual(['10.1.0.5']);
    expect(r!.finding).toMatchObject({ port: 80, declared: true, reachable: true, finding: 'ok', speaks: 'http', answer: { status: 200 } });
  });

  it('a listener nobody declared is undeclared; a declared port nobody opens is silent', () => {
    const found = judge([{ port: 81, protocol: 'tcp' }], [tcp('::', 9229)], reachable).map((r) => [r.finding.port, r.finding.finding]);
    expect(found).toEqual([[81, 'silent'], [9229, 'undeclared']]);
  });

  it('loopback-only is never dialled', () => {
    const [r] = judge([{ port: 7000, protocol: 'tcp' }], [tcp('127.0.0.1', 7000), tcp('::1', 7000)], reachable);
    expect(r!.targets).toEqual([]);
    expect(r!.finding).toMatchObject({ finding: 'loopback-only', reachable: false, speaks: null });
  });

  it('a failed dial is unreachable and says why', () => {
    const [r] = judge([{ port: 80, protocol: 'tcp' }], [tcp('0.0.0.0', 80)], (id) => ({ id, reachable: false, error: 'ECONNREFUSED' }));
    expect(r!.finding).toMatchObject({ finding: 'unreachable', reachable: false, note: 'dial from the sidecar failed (ECONNREFUSED)' });
  });

  it('an address on none of the run networks is unreachable without a dial', () => {
    const [r] = judge([{ port: 7100, protocol: 'tcp' }], [tcp('192.0.2.10', 7100)], reachable);
    expect(r!.targets).toEqual([]);
    expect(r!.finding).toMatchObject({ finding: 'unreachable', note: "listens on 192.0.2.10, on none of the run's networks" });
  });

  it('UDP is ok when declared and bound beyond loopback, and never dialled', () => {
    const [r] = judge([{ port: 53, protocol: 'udp' }], [{ protocol: 'udp', address: '0.0.0.0', port: 53 }], reachable);
    expect(r!.finding).toMatchObject({ protocol: 'udp', finding: 'ok', reachable: null });
  });

  it('tcp and udp on one number are two ports', () => {
    const found = judge([{ port: 53, protocol: 'udp' }, { port: 53, protocol: 'tcp' }], [], reachable).map((r) => r.finding.protocol);
    expect(found).toEqual(['tcp', 'udp']);
  });
});
