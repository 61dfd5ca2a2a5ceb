// HTTP and HTTPS. A fresh connection per attempt (no agent), so every sample measures what a new
// client sees and a dead keep-alive socket can never make a check pass.
import http from 'node:http';
import https from 'node:https';
import type { CheckOf } from '../../model/suite.js';
import { bodyMismatch, jsonMismatch } from '../expect/body.js';
import { headerMismatches } from '../expect/headers.js';
import { statusMismatch } from '../expect/status.js';
import { snippet } from '../expect/text.js';
import { timeSocket } from '../net/connect.js';
import { codedError } from '../net/errors.js';
import { excerpt, type TransactionRecorder } from '../transaction.js';
import { httpShape } from '../shape/http.js';
import type { AttemptContext, AttemptOutcome, Protocol } from '../types.js';

const MAX_BODY = 4 * 1024 * 1024;

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The check's headers plus, unless switched off or already given, the transaction's traceparent. */
function requestHeaders(o: CheckOf<'http'>['options'], record: TransactionRecorder): Record<string, string> {
  const given = Object.keys(o.headers).some((k) => k.toLowerCase() === 'traceparent');
  return o.traceparent !== false && !given ? { ...o.headers, traceparent: record.traceparent() } : { ...o.headers };
}

function request(check: CheckOf<'http'>, signal: AbortSignal, record: TransactionRecorder): Promise<Response> {
  const { options: o } = check;
  const headers = requestHeaders(o, record);
  const host = check.host.includes(':') ? `[${check.host}]` : check.host;
  record.sent({
    protocol: 'http',
    method: o.method,
    url: `${o.tls ? 'https' : 'http'}://${host}:${check.port}${o.path}`,
    headers,
    ...(o.body !== undefined ? { body: excerpt(o.body) } : {}),
  });
  return new Promise((resolve, reject) => {
    let connected = false;
    const req = (o.tls ? https : http).request(
      {
        host: check.host,
        port: check.port,
        method: o.method,
        path: o.path,
        headers,
        agent: false,
        ...(o.tls ? { rejectUnauthorized: o.verify } : {}),
      },
      (res) => {
        record.mark('firstByte');
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_BODY) chunks.push(c);
        });
        res.once('end', () => {
          const raw = Buffer.concat(chunks);
          const got = { status: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8') };
          record.received({
            protocol: 'http',
            status: got.status,
            ...(res.statusMessage ? { statusText: res.statusMessage } : {}),
            headers: Object.fromEntries(Object.entries(res.headers).filter((e): e is [string, string | string[]] => e[1] !== undefined)),
            body: { ...excerpt(raw), bytes: size },
          });
          resolve(got);
        });
        res.once('error', reject);
        // A reset mid-body ends the stream without 'end' or, on some versions, 'error'.
        res.once('close', () => {
          if (!res.complete) reject(codedError('ECONNRESET', `connection closed after ${size} bytes of the response body`));
        });
      },
    );
    req.once('socket', (s) => {
      timeSocket(s, record);
      if (o.tls) s.once('secureConnect', () => record.mark('tls'));
      s.once(o.tls ? 'secureConnect' : 'connect', () => (connected = true));
    });
    const onAbort = () =>
      req.destroy(connected ? new Error('no response') : codedError('ETIMEDOUT', `connect to ${check.target} timed out`));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => signal.removeEventListener('abort', onAbort));
    req.once('error', reject);
    req.end(o.body);
  });
}

export function judge(check: CheckOf<'http'>, res: Response): AttemptOutcome {
  const statusProblem = statusMismatch(check.expect.status, res.status);
  // The body explains most unexpected statuses (an error page, a JSON error), so it rides along.
  const problems = [
    statusProblem && `${statusProblem} (body: ${snippet(res.body)})`,
    ...headerMismatches(check.expect.headers, res.headers),
    bodyMismatch(check.expect.body, res.body),
    jsonMismatch(check.expect.json, res.body),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) return { ok: false, message: problems.join('; ') };
  return { ok: true, note: `${res.status}`, ...(check.snapshot ? { shape: httpShape(res, check.snapshot) } : {}) };
}

async function attempt(check: CheckOf<'http'>, ctx: AttemptContext): Promise<AttemptOutcome> {
  return judge(check, await request(check, ctx.signal, ctx.record));
}

export const httpProtocol: Protocol<'http'> = { name: 'http', attempt };
