// gRPC health: grpc.health.v1.Health/Check through @grpc/grpc-js with a hand-written codec.
import * as grpc from '@grpc/grpc-js';
import { formatDuration } from '../../model/duration.js';
import type { CheckOf } from '../../model/suite.js';
import { isUnreachableCode } from '../net/errors.js';
import type { AttemptContext, AttemptOutcome, Protocol } from '../types.js';
import { decodeHealthResponse, encodeHealthRequest } from './grpc-health-codec.js';
import { reflectionShape } from './grpc-reflection.js';

const CHECK_METHOD = '/grpc.health.v1.Health/Check';

function credentials(check: CheckOf<'grpc'>): grpc.ChannelCredentials {
  if (!check.options.tls) return grpc.credentials.createInsecure();
  const verify = check.options.verify;
  return grpc.credentials.createSsl(null, null, null, {
    rejectUnauthorized: verify,
    ...(verify ? {} : { checkServerIdentity: () => undefined }),
  });
}

/**
 * grpc-js connection errors carry a timestamp and an often empty resolution note
 * ("Last error: Protocol error (2026-01-02T03:04:05.678Z). Resolution note: "): noise that also
 * makes two reports of the same failure differ.
 */
export function tidyDetails(details: string): string {
  return details
    .replace(/ \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\)/g, '')
    .replace(/\s*Resolution note:\s*$/, '')
    .trim();
}

function failure(err: grpc.ServiceError, check: CheckOf<'grpc'>, ctx: AttemptContext): AttemptOutcome {
  if (ctx.signal.aborted || err.code === grpc.status.DEADLINE_EXCEEDED) {
    return { ok: false, message: `no answer within ${formatDuration(ctx.timeoutMs)}` };
  }
  if (err.code === grpc.status.NOT_FOUND) return judge(check, 'SERVICE_UNKNOWN');
  if (err.code === grpc.status.UNIMPLEMENTED) {
    return { ok: false, message: `${check.target} does not implement grpc.health.v1.Health (UNIMPLEMENTED)` };
  }
  // grpc-js reports connection failures as UNAVAILABLE with the socket error in the details.
  const code = /\b(E[A-Z_]+)\b/.exec(err.details ?? '')?.[1];
  if (err.code === grpc.status.UNAVAILABLE && isUnreachableCode(code)) {
    return { ok: false, unreachable: code, message: `UNAVAILABLE: ${tidyDetails(err.details)}` };
  }
  return { ok: false, message: `${grpc.status[err.code] ?? err.code}: ${tidyDetails(err.details || err.message)}` };
}

function judge(check: CheckOf<'grpc'>, status: string | number): AttemptOutcome {
  const service = check.options.health.service || '(server)';
  return status === check.expect.status
    ? { ok: true, note: `${service} ${status}` }
    : { ok: false, message: `expected ${service} health ${check.expect.status}, got ${status}` };
}


async function attempt(check: CheckOf<'grpc'>, ctx: AttemptContext): Promise<AttemptOutcome> {
  ctx.record.sent({ protocol: 'grpc', service: 'grpc.health.v1.Health', method: 'Check', healthService: check.options.health.service });
  const client = new grpc.Client(`${check.host.includes(':') ? `[${check.host}]` : check.host}:${check.port}`, credentials(check));
  try {
    const outcome = await new Promise<AttemptOutcome & { status?: string | number }>((resolve) => {
      const call = client.makeUnaryRequest(
        CHECK_METHOD,
        encodeHealthRequest,
        decodeHealthResponse,
        check.options.health.service,
        new grpc.Metadata(),
        { deadline: Date.now() + ctx.timeoutMs },
        (err, status) => {
          ctx.record.received(
            err
              ? { protocol: 'grpc', status: grpc.status[err.code] ?? String(err.code), code: err.code, details: tidyDetails(err.details ?? '') }
              : { protocol: 'grpc', status: 'OK', code: grpc.status.OK, details: `health ${status ?? 'UNKNOWN'}` },
          );
          resolve(err ? failure(err, check, ctx) : { ...judge(check, status ?? 'UNKNOWN'), status: status ?? 'UNKNOWN' });
        },
      );
      ctx.signal.addEventListener('abort', () => call.cancel(), { once: true });
    });
    const { status, ...result } = outcome;
    if (!result.ok || !check.snapshot) return result;
    // The snapshot: the health status, and what reflection lists where the server offers it.
    return { ...result, shape: { status: String(status), ...(await reflectionShape(client, Date.now() + ctx.timeoutMs, ctx.signal)) } };
  } finally {
    client.close();
  }
}

export const grpcProtocol: Protocol<'grpc'> = { name: 'grpc', attempt };
