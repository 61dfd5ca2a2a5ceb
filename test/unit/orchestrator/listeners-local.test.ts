// Listening sockets read from the host's /proc: a change of listeners is news (a new connection is
// not), a restart's new process is followed, and a process gone for good ends the reading.
import { describe, expect, it } from 'vitest';
import { listenerSnapshots } from '../../../src/orchestrator/ports/listeners.js';
import type { Backend, SocketTables } from '../../../src/runtime/backend.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue\n';
const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
/** Listeners on `ports` (0.0.0.0), and `connections` established ones (which change with traffic). */
function tables(ports: number[], connections = 0): SocketTables {
  const listen = ports.map((p, i) => `   ${i}: 00000000:${hex(p)} 00000000:0000 0A 00000000:00000000\n`);
  const open = Array.from({ length: connections }, (_, i) => `   ${ports.length + i}: 0100007F:${hex(ports[0]!)} 0100007F:${hex(40000 + i)} 01 00000000:00000000\n`);
  return { tcp: HEADER + listen.join('') + open.join(''), tcp6: '', udp: HEADER, udp6: '' };
}
/** A reader that answers `answers` in turn, then throws as a read of an exited process does. */
const reader = (answers: SocketTables[]) => {
  let i = 0;
  return async () => {
    if (i >= answers.length) throw new Error('process 42 of container aaaaaaaaaaaa is gone');
    return answers[i++]!;
  };
};
const target = { runId: 'r1', project: 'p', service: 'api', containerId: 'c1' };

function backend(readers: ((() => Promise<SocketTables>) | undefined)[], status: 'running' | 'exited') {
  return {
    localSocketTables: async () => readers.shift(),
    serviceState: async () => ({ status, restartCount: 0 }),
    startJob: async () => {
      throw new Error('no helper may be started where the host’s /proc is read');
    },
  } as unknown as Backend;
}

async function collect(runtime: Backend, count: number): Promise<number[][]> {
  const seen: number[][] = [];
  for await (const sockets of listenerSnapshots(runtime, target, 'img', AbortSignal.timeout(5_000))) {
    seen.push(sockets.map((s) => s.port));
    if (seen.length === count) break;
  }
  return seen;
}

describe('listening sockets from the host’s /proc', () => {
  it('tells a change of listeners, not a new connection, and follows a restart’s new process', async () => {
    const first = reader([tables([8080]), tables([8080], 1), tables([8080], 2)]);
    const restarted = reader([tables([8080]), tables([8080, 9090])]);
    expect(await collect(backend([first, restarted], 'running'), 2)).toEqual([[8080], [8080, 9090]]);
  });

  it('ends with the service named once its process is gone and the engine says it stopped', async () => {
    const runtime = backend([reader([tables([8080])]), undefined], 'exited');
    await expect(collect(runtime, 2)).rejects.toThrow('could not read the listening ports of api: its process is gone (container exited)');
  });
});
