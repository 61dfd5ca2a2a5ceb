// TCP: connect, optionally send, optionally read until the expected text shows up.
import type { CheckOf } from '../../model/suite.js';
import { connectTcp } from '../net/connect.js';
import { snippet } from '../expect/text.js';
import { excerpt } from '../transaction.js';
import type { AttemptContext, AttemptOutcome, Protocol } from '../types.js';

/** A service that streams without end must not grow the sidecar without bound: stop reading here. */
export const RECEIVE_LIMIT_BYTES = 1024 * 1024;

async function attempt(check: CheckOf<'tcp'>, ctx: AttemptContext): Promise<AttemptOutcome> {
  ctx.record.sent({ protocol: 'tcp', host: check.host, port: check.port, ...(check.options.send !== undefined ? { send: excerpt(check.options.send) } : {}) });
  const socket = await connectTcp(check.host, check.port, ctx.signal, ctx.record);
  try {
    if (check.options.send !== undefined) socket.write(check.options.send);
    const want = check.expect.receive;
    if (want === undefined) return { ok: true, note: 'connected' };
    const received = await new Promise<{ text: string; why?: string }>((resolve) => {
      let text = '';
      let bytes = 0;
      const done = (why?: string) => resolve({ text, why });
      socket.on('data', (chunk: Buffer) => {
        if (text === '') ctx.record.mark('firstByte');
        text += chunk.toString('utf8');
        bytes += chunk.length;
        if (text.includes(want)) done();
        else if (bytes >= RECEIVE_LIMIT_BYTES) {
          socket.pause();
          done(`stopped reading after ${bytes} bytes, the limit is 1 MiB`);
        }
      });
      socket.once('end', () => done('connection closed'));
      socket.once('error', (err) => done(err.message));
      ctx.signal.addEventListener('abort', () => done('timed out'), { once: true });
    });
    ctx.record.received({ protocol: 'tcp', received: excerpt(received.text) });
    if (received.why === undefined) return { ok: true, note: `received ${snippet(want, 60)}` };
    return { ok: false, message: `expected to receive ${snippet(want, 60)}, got ${snippet(received.text)} (${received.why})` };
  } finally {
    socket.destroy();
  }
}

export const tcp: Protocol<'tcp'> = { name: 'tcp', attempt };
