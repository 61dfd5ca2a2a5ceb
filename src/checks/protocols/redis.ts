// Redis through ioredis: one command, its reply matched. Reconnects and the offline queue are off,
// so a dead server fails the attempt at once instead of being retried inside the client.
import { Redis } from 'ioredis';
import type { CheckOf } from '../../model/suite.js';
import { replyMismatch } from '../expect/reply.js';
import { show } from '../expect/text.js';
import { cappedValue } from '../transaction.js';
import type { AttemptContext, AttemptOutcome, Protocol } from '../types.js';
import { abortable } from './abort.js';
import { codedError } from '../net/errors.js';
import { formatDuration } from '../../model/duration.js';
import { jsonShape } from '../../snapshot/shape.js';

function plain(reply: unknown): unknown {
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (Array.isArray(reply)) return reply.map(plain);
  return reply;
}

async function attempt(check: CheckOf<'redis'>, ctx: AttemptContext): Promise<AttemptOutcome> {
  const o = check.options;
  const redis = new Redis({
    host: check.host,
    port: check.port,
    username: o.user,
    password: o.password,
    db: o.db,
    connectTimeout: ctx.timeoutMs,
    commandTimeout: ctx.timeoutMs,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
  });
  // ioredis reports the socket error as an event and rejects connect() with a vaguer one.
  let socketError: Error | undefined;
  redis.on('error', (err: Error) => (socketError ??= err));
  // disconnect() does not settle a pending connect(), so the wait itself is made abortable.
  const timedOut = () => codedError('ENOREPLY', `no answer within ${formatDuration(ctx.timeoutMs)}`);
  ctx.record.sent({ protocol: 'redis', command: o.command, db: o.db });
  try {
    try {
      await abortable(ctx.signal, redis.connect(), timedOut);
      ctx.record.mark('connect');
    } catch (err) {
      throw socketError ?? err;
    }
    const [command, ...args] = o.command;
    const reply = plain(await abortable(ctx.signal, redis.call(command!, ...args), timedOut));
    ctx.record.received({ protocol: 'redis', reply: cappedValue(reply) });
    const mismatch = replyMismatch(check.expect.reply, reply);
    if (mismatch) return { ok: false, message: mismatch };
    // The reply type: string, number (an integer reply), null (nil) or an array of those.
    return { ok: true, note: `reply ${show(reply, 40)}`, ...(check.snapshot ? { shape: jsonShape(reply, 'reply', check.snapshot) } : {}) };
  } finally {
    redis.disconnect();
  }
}

export const redis: Protocol<'redis'> = { name: 'redis', attempt };
