// /proc/net/{tcp,tcp6,udp,udp6} of one network namespace to its listening sockets. Pure.
// Addresses are hex in host byte order (little-endian on every engine envtest runs on); ports are
// big-endian hex. TCP listens in state 0A; a UDP socket "listens" when bound and unconnected
// (state 07, remote port 0).
import type { SocketTables } from '../../runtime/backend.js';

export interface ListeningSocket {
  protocol: 'tcp' | 'udp';
  address: string;
  port: number;
}

/** Read by a helper in the namespace, or from the engine host's /proc (Backend.localSocketTables). */
export type ProcNetFiles = SocketTables;

const TCP_LISTEN = '0A';
const UDP_UNCONNECTED = '07';

export function listeningSockets(files: ProcNetFiles): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  const seen = new Set<string>();
  for (const [name, text] of Object.entries(files) as [keyof ProcNetFiles, string | undefined][]) {
    const protocol = name.startsWith('tcp') ? 'tcp' : 'udp';
    for (const line of (text ?? '').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4) continue;
      const [, local, remote, state] = fields as [string, string, string, string];
      if (protocol === 'tcp' ? state !== TCP_LISTEN : state !== UDP_UNCONNECTED || !remote.endsWith(':0000')) continue;
      const [hexAddr, hexPort] = local.split(':') as [string, string];
      const socket: ListeningSocket = { protocol, address: decodeAddress(hexAddr), port: parseInt(hexPort, 16) };
      const key = `${socket.protocol}/${socket.address}/${socket.port}`;
      // SO_REUSEPORT servers list one line per socket.
      if (!seen.has(key)) out.push(socket);
      seen.add(key);
    }
  }
  return out;
}

function decodeAddress(hex: string): string {
  if (hex.length === 8) return littleEndianWord(hex).join('.');
  const bytes = [0, 8, 16, 24].flatMap((i) => littleEndianWord(hex.slice(i, i + 8)));
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // The WHATWG URL parser prints IPv6 in its canonical compressed form.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function littleEndianWord(hex: string): number[] {
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** 127.0.0.0/8, ::1 and their v4-mapped forms: only the namespace itself can reach these. */
export function isLoopback(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Docker's embedded DNS server listens on 127.0.0.11 inside every container on a user-defined network. */
export function isEngineOwned(socket: ListeningSocket): boolean {
  return socket.address === '127.0.0.11';
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
