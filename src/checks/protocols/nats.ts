// NATS core: subscribe, flush so the server knows, publish, and wait for the same payload.
import { connect, StringCodec } from 'nats';
import type { CheckOf } from '../../model/suite.js';
import { codedError } from '../net/errors.js';
import { excerpt } from '../transaction.js';
import type { AttemptContext, AttemptOutcome, Protocol } from '../types.js';
import { abortable } from './abort.js';
import { notReceived, payloadFor } from './roundtrip.js';
import { messageShape } from '../shape/message.js';

async function attempt(check: CheckOf<'nats'>, ctx: AttemptContext): Promise<AttemptOutcome> {
  const o = check.options;
  const subject = o.subject ?? `envtest.${ctx.nonce}`;
  const payload = payloadFor(o.payload, ctx.nonce);
  ctx.record.sent({ protocol: 'nats', subject, payload: excerpt(payload) });
  const nc = await connect({
    servers: `${check.host.includes(':') ? `[${check.host}]` : check.host}:${check.port}`,
    user: o.user,
    pass: o.password,
    token: o.token,
    timeout: ctx.timeoutMs,
    reconnect: false,
    maxReconnectAttempts: 0,
    name: 'envtest',
  }).catch((err: unknown) => {
    // nats.js names the refusal its own way; normalize so it reads like every other protocol.
    if ((err as { code?: string }).code === 'CONNECTION_REFUSED') throw codedError('ECONNREFUSED', String(err));
    throw err;
  });
  ctx.record.mark('connect');
  try {
    const sc = StringCodec();
    const sub = nc.subscribe(subject);
    const received = (async () => {
      for await (const m of sub) {
        if (sc.decode(m.data) !== payload) continue;
        ctx.record.received({ protocol: 'nats', received: excerpt(Buffer.from(m.data)) });
        // NATS core messages carry a content type only as a header, when the publisher sets one.
        return { contentType: m.headers?.get('Content-Type') };
      }
      return undefined;
    })();
    await nc.flush();
    nc.publish(subject, sc.encode(payload));
    const got = await abortable(ctx.signal, received, () => {
      sub.unsubscribe();
      return codedError('ENOMSG', notReceived(`subject ${subject}`, ctx.timeoutMs));
    });
    if (!got) return { ok: false, message: notReceived(`subject ${subject}`, ctx.timeoutMs) };
    return { ok: true, note: `round trip on ${subject}`, ...(check.snapshot ? { shape: messageShape(got.contentType, payload, check.snapshot) } : {}) };
  } finally {
    await nc.close().catch(() => undefined);
  }
}

export const natsProtocol: Protocol<'nats'> = { name: 'nats', attempt };
