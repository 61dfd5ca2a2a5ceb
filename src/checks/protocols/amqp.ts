// AMQP 0-9-1 (RabbitMQ): publish to a queue through the default exchange and consume it back,
// recognising our message by its messageId.
import amqp from 'amqplib';
import type { CheckOf } from '../../model/suite.js';
import { excerpt } from '../transaction.js';
import { messageShape } from '../shape/message.js';
import type { AttemptContext, AttemptOutcome, Protocol } from '../types.js';
import { abortable, onAbort } from './abort.js';
import { notReceived, payloadFor } from './roundtrip.js';
import { codedError } from '../net/errors.js';

type Channel = Awaited<ReturnType<amqp.ChannelModel['createChannel']>>;

/**
 * A named queue is used as it is when it exists (its arguments are not ours to restate) and is
 * declared transient otherwise; with no name, a server-named exclusive queue leaves nothing behind.
 */
async function queueFor(conn: amqp.ChannelModel, ch: Channel, name: string | undefined): Promise<string> {
  if (name === undefined) return (await ch.assertQueue('', { exclusive: true, autoDelete: true })).queue;
  // A failed passive declare closes its channel, so it gets a throwaway one.
  const probe = await conn.createChannel();
  probe.on('error', () => undefined);
  try {
    await probe.checkQueue(name);
    await probe.close();
  } catch {
    await ch.assertQueue(name, { durable: false, autoDelete: true });
  }
  return name;
}

async function attempt(check: CheckOf<'amqp'>, ctx: AttemptContext): Promise<AttemptOutcome> {
  const o = check.options;
  const payload = payloadFor(o.payload, ctx.nonce);
  ctx.record.sent({ protocol: 'amqp', queue: o.queue ?? '(temporary)', payload: excerpt(payload) });
  const conn = await amqp.connect(
    { protocol: 'amqp', hostname: check.host, port: check.port, username: o.user, password: o.password, vhost: o.vhost },
    { timeout: ctx.timeoutMs },
  );
  conn.on('error', () => undefined);
  ctx.record.mark('connect');
  const off = onAbort(ctx.signal, () => void conn.close().catch(() => undefined));
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    const queue = await queueFor(conn, ch, o.queue);
    await ch.prefetch(10);
    const received = new Promise<{ body: string; contentType?: string }>((resolve) => {
      // Rejects only when the channel dies, which the publish or the timeout reports better.
      ch.consume(queue, (msg) => {
        if (!msg) return;
        if (msg.properties.messageId === ctx.nonce) {
          ch.ack(msg);
          resolve({ body: msg.content.toString('utf8'), contentType: msg.properties.contentType as string | undefined });
        } else {
          // Someone else's message: put it back for its real consumer.
          ch.nack(msg, false, true);
        }
      }).catch(() => undefined);
    });
    ch.sendToQueue(queue, Buffer.from(payload), { messageId: ctx.nonce });
    const { body, contentType } = await abortable(ctx.signal, received, () => codedError('ENOMSG', notReceived(`queue ${o.queue ?? '(temporary)'}`, ctx.timeoutMs)));
    ctx.record.received({ protocol: 'amqp', received: excerpt(body) });
    if (body !== payload) return { ok: false, message: `expected the published payload back, got ${JSON.stringify(body.slice(0, 200))}` };
    return {
      ok: true,
      note: `round trip through queue ${o.queue ?? '(temporary)'}`,
      ...(check.snapshot ? { shape: messageShape(contentType, body, check.snapshot) } : {}),
    };
  } finally {
    off();
    await conn.close().catch(() => undefined);
  }
}

export const amqpProtocol: Protocol<'amqp'> = { name: 'amqp', attempt };
