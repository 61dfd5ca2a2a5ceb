// gRPC health against a real grpc-js server on loopback, with the codec the server side needs
// written out here independently of the one under test.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/checks/clock.js';
import { protocols } from '../../../src/checks/registry.js';
import { runCheck } from '../../../src/checks/run-check.js';
import type { CheckOf } from '../../../src/model/suite.js';

const STATUSES: Record<string, number> = { 'shop.Api': 1, 'shop.Batch': 2 };
let server: grpc.Server;
let port: number;

// An object, not a bare string: grpc-js servers treat a falsy request ('' for the whole server) as missing.
const decodeService = (b: Buffer) => ({ service: b.length === 0 ? '' : b.subarray(2, 2 + b[1]!).toString('utf8') });

beforeAll(async () => {
  server = new grpc.Server();
  const check: grpc.MethodDefinition<{ service: string }, number> = {
    path: '/grpc.health.v1.Health/Check',
    requestStream: false,
    responseStream: false,
    requestSerialize: () => Buffer.alloc(0),
    requestDeserialize: decodeService,
    responseSerialize: (status: number) => Buffer.from([0x08, status]),
    responseDeserialize: (b: Buffer) => b[1]!,
  };
  server.addService({ Check: check } as grpc.ServiceDefinition, {
    Check: (call: grpc.ServerUnaryCall<{ service: string }, number>, cb: grpc.sendUnaryData<number>) => {
      const { service } = call.request;
      if (service === '') return cb(null, 1);
      const status = STATUSES[service];
      if (status === undefined) return cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
      cb(null, status);
    },
  });
  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
});

afterAll(() => server.forceShutdown());

function grpcCheck(service: string, status: CheckOf<'grpc'>['expect']['status'] = 'SERVING'): CheckOf<'grpc'> {
  return {
    name: `grpc ${service}`,
    target: `127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    protocol: 'grpc',
    options: { health: { service }, tls: false, verify: false },
    expect: { open: true, status },
    timeoutMs: 2000,
    retry: { forMs: 0, everyMs: 50 },
    samples: 0,
  };
}

const deps = { protocols, clock: systemClock };

describe('grpc health check against a loopback server', () => {
  it('passes for a SERVING service and the server as a whole', async () => {
    expect(await runCheck('s', grpcCheck('shop.Api'), deps)).toMatchObject({ status: 'passed', message: 'shop.Api SERVING' });
    expect(await runCheck('s', grpcCheck(''), deps)).toMatchObject({ status: 'passed', message: '(server) SERVING' });
  });

  it('says what status came back', async () => {
    expect(await runCheck('s', grpcCheck('shop.Batch'), deps)).toMatchObject({
      status: 'failed',
      message: 'expected shop.Batch health SERVING, got NOT_SERVING',
    });
  });

  it('treats NOT_FOUND as SERVICE_UNKNOWN, which can be expected', async () => {
    expect(await runCheck('s', grpcCheck('nope'), deps)).toMatchObject({ status: 'failed', message: 'expected nope health SERVING, got SERVICE_UNKNOWN' });
    expect(await runCheck('s', grpcCheck('nope', 'SERVICE_UNKNOWN'), deps)).toMatchObject({ status: 'passed' });
  });
});

describe('grpc snapshot shape', () => {
  it('is the health status, and says reflection is not offered by a server without it', async () => {
    const result = await runCheck('s', { ...grpcCheck('shop.Api'), snapshot: { values: false, ignore: [] } }, deps);
    expect(result).toMatchObject({ status: 'passed', shape: { status: 'SERVING', reflection: 'not offered' } });
  });
});
