// One short conversation with a port: connect, optionally send, read until the reader has seen
// enough, the peer closes, or time is up. Never throws: a failed exchange is an empty answer.
import tls from 'node:tls';
import { connectTcp } from '../../checks/net/connect.js';

export interface Exchange {
  host: string;
  port: number;
  timeoutMs: number;
}

/**
 * What came back after `send` (nothing sent: whatever the server says first). `enough` ends the
 * read early once the answer can be judged.
 */
export async function exchange(to: Exchange, send: Buffer | undefined, enough: (got: Buffer) => boolean = () => false): Promise<Buffer> {
  const signal = AbortSignal.timeout(to.timeoutMs);
  let socket;
  try {
    socket = await connectTcp(to.host, to.port, signal);
  } catch {
    return Buffer.alloc(0);
  }
  try {
    return await new Promise<Buffer>((resolve) => {
      let got = Buffer.alloc(0);
      const done = () => resolve(got);
      socket.on('data', (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        if (got.length > 64 * 1024 || enough(got)) done();
      });
      socket.once('end', done);
      socket.once('close', done);
      socket.once('error', done);
      if (signal.aborted) done();
      signal.addEventListener('abort', done, { once: true });
      if (send) socket.write(send);
    });
  } finally {
    socket.destroy();
  }
}

/** Whether a TLS handshake completes (any certificate: this names the protocol, it trusts nothing). */
export function tlsHandshake(to: Exchange): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: to.host, port: to.port, rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] });
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), to.timeoutMs);
    socket.once('secureConnect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}
