// A plain TCP connection bounded by the attempt's signal. Tells a connect timeout (nothing there)
// apart from later silence, because only the former means "not reachable".
import net from 'node:net';
import { codedError } from './errors.js';

export function connectTcp(host: string, port: number, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
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
