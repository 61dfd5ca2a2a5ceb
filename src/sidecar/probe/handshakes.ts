// Names the protocol a port speaks with the shortest handshakes that make each server answer in
// a way no other protocol does. Servers that speak first (mysql, nats) are heard on the first
// connection; the client-first handshakes then run side by side, each on its own connection, and
// the first in priority order that recognises its answer wins.
import type { ProbeAnswer, Spoken } from '../../model/ports.js';
import { exchange, tlsHandshake, type Exchange } from './exchange.js';

export interface Identified {
  speaks: Spoken;
  answer?: ProbeAnswer;
}

const GREETING_MS = 400;

const H2_PREFACE = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);
const PG_SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
const AMQP_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]);

export async function identify(to: Exchange): Promise<Identified> {
  const greeting = await exchange({ ...to, timeoutMs: Math.min(GREETING_MS, to.timeoutMs) }, undefined, (b) => b.length >= 5);
  if (greeting.length) return fromGreeting(greeting);
  const attempts: (() => Promise<Identified | undefined>)[] = [http, grpc, tlsOnly, postgres, redis, amqp, mqtt].map((f) => () => f(to));
  const answers = await Promise.all(attempts.map((a) => a().catch(() => undefined)));
  return answers.find((a) => a !== undefined) ?? { speaks: 'unknown' };
}

function fromGreeting(b: Buffer): Identified {
  if (b.subarray(0, 5).toString('latin1') === 'INFO ') return { speaks: 'nats', answer: { authRequired: /"auth_required"\s*:\s*true/.test(b.toString('utf8')) } };
  // MySQL/MariaDB: 3-byte length, sequence 0, then protocol version 10 (or an error packet, 0xff).
  if (b.length >= 5 && b[3] === 0 && (b[4] === 0x0a || b[4] === 0xff) && b.readUIntLE(0, 3) > 0 && b.readUIntLE(0, 3) < 0x10000) return { speaks: 'mysql', answer: { authRequired: true } };
  return { speaks: 'unknown' };
}

async function http(to: Exchange): Promise<Identified | undefined> {
  const request = `GET / HTTP/1.1\r\nHost: ${to.host}:${to.port}\r\nUser-Agent: envtest-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n`;
  const reply = await exchange(to, Buffer.from(request), (b) => b.includes('\r\n'));
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(reply.toString('latin1'));
  return status ? { speaks: 'http', answer: { status: Number(status[1]) } } : undefined;
}

/** An h2c server answers the connection preface with a SETTINGS frame; gRPC servers are h2c servers. */
async function grpc(to: Exchange): Promise<Identified | undefined> {
  const reply = await exchange(to, H2_PREFACE, (b) => b.length >= 9);
  return reply.length >= 9 && reply[3] === 0x04 && reply.readUInt32BE(5) === 0 ? { speaks: 'grpc' } : undefined;
}

async function tlsOnly(to: Exchange): Promise<Identified | undefined> {
  return (await tlsHandshake(to)) ? { speaks: 'tls' } : undefined;
}

/** SSLRequest gets exactly `S` or `N`; then a startup as `postgres` shows whether a password is needed. */
async function postgres(to: Exchange): Promise<Identified | undefined> {
  const ssl = await exchange(to, PG_SSL_REQUEST, (b) => b.length >= 1);
  if (ssl.length !== 1 || (ssl[0] !== 0x53 && ssl[0] !== 0x4e)) return undefined;
  const reply = await exchange(to, startupMessage('postgres', 'postgres'), (b) => b.length >= 9);
  // 'R' with code 0 is AuthenticationOk: trust. Any other request, or an error, needs credentials.
  const trusted = reply.length >= 9 && reply[0] === 0x52 && reply.readUInt32BE(5) === 0;
  return { speaks: 'postgres', answer: { authRequired: !trusted } };
}

function startupMessage(user: string, database: string): Buffer {
  const params = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + params.length, 0);
  head.writeUInt32BE(196608, 4); // protocol 3.0
  return Buffer.concat([head, params]);
}

async function redis(to: Exchange): Promise<Identified | undefined> {
  const reply = (await exchange(to, Buffer.from('PING\r\n'), (b) => b.includes('\r\n'))).toString('latin1');
  if (reply.startsWith('+PONG')) return { speaks: 'redis', answer: { authRequired: false } };
  if (/^-(NOAUTH|DENIED|WRONGPASS)/.test(reply)) return { speaks: 'redis', answer: { authRequired: true } };
  return undefined;
}

/** A broker answers the protocol header with Connection.Start (a method frame on channel 0), or with its own header when versions differ. */
async function amqp(to: Exchange): Promise<Identified | undefined> {
  const reply = await exchange(to, AMQP_HEADER, (b) => b.length >= 8);
  if (reply.length >= 8 && reply.subarray(0, 4).toString('latin1') === 'AMQP') return { speaks: 'amqp' };
  if (reply.length >= 11 && reply[0] === 1 && reply.readUInt16BE(1) === 0 && reply.readUInt16BE(7) === 10) return { speaks: 'amqp', answer: { authRequired: true } };
  return undefined;
}

/** MQTT 3.1.1 CONNECT; CONNACK's return code 0 means anonymous clients are allowed. */
async function mqtt(to: Exchange): Promise<Identified | undefined> {
  const clientId = Buffer.from(`envtest-probe-${process.pid}-${Date.now() % 100000}`);
  const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 10]);
  const idLength = Buffer.from([clientId.length >> 8, clientId.length & 0xff]);
  const body = Buffer.concat([variable, idLength, clientId]);
  const reply = await exchange(to, Buffer.concat([Buffer.from([0x10, body.length]), body]), (b) => b.length >= 4);
  if (reply.length >= 4 && reply[0] === 0x20 && reply[1] === 0x02) return { speaks: 'mqtt', answer: { authRequired: reply[3] !== 0 } };
  return undefined;
}
