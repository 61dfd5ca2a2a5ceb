import { describe, expect, it } from 'vitest';
import { isEngineOwned, isLoopback, listeningSockets } from '../../../src/orchestrator/ports/proc-net.js';

const HEAD = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const tcp =
  HEAD +
  '   0: 0B00007F:A1B3 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n' +
  '   1: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0\n' +
  '   2: 0100007F:1C58 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0\n' +
  // An established connection is not a listener.
  '   3: 0200110A:1F90 0300110A:C350 01 00000000:00000000 00:00000000 00000000     0        0 4 1 0 100 0 0 10 0\n' +
  // Bound to a specific address of the container: 10.17.0.2.
  '   4: 0200110A:1B58 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5 1 0 100 0 0 10 0\n';
const tcp6 =
  HEAD +
  '   0: 00000000000000000000000000000000:1538 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 6 1 0 100 0 0 10 0\n' +
  '   1: 00000000000000000000000001000000:2382 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 7 1 0 100 0 0 10 0\n' +
  '   2: 0000000000000000FFFF00000100007F:2383 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 8 1 0 100 0 0 10 0\n' +
  '   3: B80D0120000000000000000001000000:2384 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 9 1 0 100 0 0 10 0\n';
const udp =
  HEAD +
  '  10: 0B00007F:8A4B 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 10 2 0\n' +
  '  11: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 11 2 0\n' +
  // A connected UDP socket (a client) is not a listener.
  '  12: 0200110A:D431 0300110A:0035 01 00000000:00000000 00:00000000 00000000     0        0 12 2 0\n';

describe('listeningSockets', () => {
  const sockets = listeningSockets({ tcp, tcp6, udp, udp6: HEAD });

  it('decodes v4 and v6 addresses and ports of TCP listeners only', () => {
    const tcpSockets = sockets.filter((s) => s.protocol === 'tcp').map((s) => `${s.address}:${s.port}`);
    expect(tcpSockets).toEqual(['127.0.0.11:41395', '0.0.0.0:8080', '127.0.0.1:7256', '10.17.0.2:7000', ':::5432', '::1:9090', '::ffff:127.0.0.1:9091', '2001:db8::1:9092']);
  });

  it('takes unconnected UDP sockets as listeners', () => {
    expect(sockets.filter((s) => s.protocol === 'udp').map((s) => `${s.address}:${s.port}`)).toEqual(['127.0.0.11:35403', '0.0.0.0:5353']);
  });

  it('tells loopback and the engine DNS apart', () => {
    expect(['127.0.0.1', '127.0.0.11', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '10.17.0.2', '2001:db8::1'].some(isLoopback)).toBe(false);
    expect(sockets.filter(isEngineOwned).map((s) => s.port)).toEqual([41395, 35403]);
  });

  it('reads missing or empty tables as no sockets', () => {
    expect(listeningSockets({ tcp: '', udp6: undefined })).toEqual([]);
  });
});
