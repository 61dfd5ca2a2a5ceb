// MQTT: subscribe (QoS 1), publish the payload, wait for it on the same topic. No reconnects, so
// a refused connection fails the attempt instead of looping inside the client.
import mqtt from 'mqtt';
import type { CheckOf } from '../../model/suite.js';
import { codedError } from '../net/errors.js';
import { excerpt } from '../transaction.js';
import type { AttemptContext, AttemptOutcome, Protocol } from '../types.js';
import { abortable } from './abort.js';
import { notReceived, payloadFor } from './roundtrip.js';
import { messageShape } from '../shape/message.js';

function connect(check: CheckOf<'mqtt'>, ctx: AttemptContext): Promise<mqtt.MqttClient> {
  const client = mqtt.connect({
    host: check.host,
    port: check.port,
    protocol: 'mqtt',
    username: check.options.user,
    password: check.options.password,
    clientId: `envtest-${ctx.nonce}`,
    clean: true,
    connectTimeout: ctx.timeoutMs,
    reconnectPeriod: 0,
  });
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined;
    client.on('error', (err) => (lastError ??= err));
    client.once('connect', () => resolve(client));
    client.once('close', () => {
      if (!client.connected) reject(lastError ?? new Error('connection closed before CONNACK'));
    });
    ctx.signal.addEventListener('abort', () => client.end(true), { once: true });
  });
}

async function attempt(check: CheckOf<'mqtt'>, ctx: AttemptContext): Promise<AttemptOutcome> {
  const topic = check.options.topic ?? `envtest/${ctx.nonce}`;
  const payload = payloadFor(check.options.payload, ctx.nonce);
  ctx.record.sent({ protocol: 'mqtt', topic, payload: excerpt(payload) });
  const client = await connect(check, ctx);
  ctx.record.mark('connect');
  try {
    const received = new Promise<string | undefined>((resolve) => {
      client.on('message', (t, body, packet) => {
        if (t !== topic || body.toString('utf8') !== payload) return;
        ctx.record.received({ protocol: 'mqtt', received: excerpt(body) });
        // MQTT 5 carries a content type property; 3.1.1 has none.
        resolve(packet.properties?.contentType);
      });
    });
    await client.subscribeAsync(topic, { qos: 1 });
    await client.publishAsync(topic, payload, { qos: 1 });
    const contentType = await abortable(ctx.signal, received, () => codedError('ENOMSG', notReceived(`topic ${topic}`, ctx.timeoutMs)));
    return { ok: true, note: `round trip on ${topic}`, ...(check.snapshot ? { shape: messageShape(contentType, payload, check.snapshot) } : {}) };
  } finally {
    await client.endAsync(true).catch(() => undefined);
  }
}

export const mqttProtocol: Protocol<'mqtt'> = { name: 'mqtt', attempt };
