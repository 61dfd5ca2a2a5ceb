// A plain TCP connection bounded by the attempt's signal. Tells a connect timeout (nothing there)
// apart from later silence, because only the former means "not reachable".
import net from 'node:net';
import type { TransactionRecorder } from '../transaction.js';
import { codedError } from './errors.js';

/** Marks the `dns` and `connect` phases of a socket on the recorder. */
export function timeSocket(socket: net.Socket, record: TransactionRecorder | undefined): void {
  if (!record) return;
  socket.once('lookup', () => record.mark('dns'));
  socket.once('connect', () => record.mark('connect'));
}

export function connectTcp(host: string, port: number, signal: AbortSignal, record?: TransactionRecorder): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    timeSocket(socket, record);
    const onAbort = () => {
      socket.destroy();
      reject(codedError('ETIMEDOUT', `connect to ${host}:${port} timed out`));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(err);
    });
  });
}
