// Which services and methods a gRPC server lists through server reflection, for its snapshot:
// a method that disappeared is drift no health check sees. v1 first, then v1alpha (what most
// servers still offer); a server with neither says so in the shape instead of failing the check.
import * as grpc from '@grpc/grpc-js';
import { keySegment } from '../../snapshot/path.js';
import type { Shape } from '../../snapshot/shape.js';
import {
  decodeReflectionResponse,
  encodeReflectionRequest,
  servicesInFiles,
  type MethodInfo,
  type ReflectionRequest,
  type ReflectionResponse,
} from './grpc-reflection-codec.js';

const METHODS = ['/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo'];

type Ask = (req: ReflectionRequest) => Promise<ReflectionResponse>;

/** One request, one response, in order, over a single bidi stream. */
function conversation(call: grpc.ClientDuplexStream<ReflectionRequest, ReflectionResponse>): Ask {
  const waiting: { resolve: (r: ReflectionResponse) => void; reject: (e: Error) => void }[] = [];
  let ended: Error | undefined;
  const fail = (e: Error) => {
    ended ??= e;
    for (const w of waiting.splice(0)) w.reject(ended);
  };
  call.on('data', (r: ReflectionResponse) => waiting.shift()?.resolve(r));
  call.on('error', fail);
  call.on('end', () => fail(new Error('reflection stream ended')));
  return (req) =>
    new Promise((resolve, reject) => {
      if (ended) return reject(ended);
      waiting.push({ resolve, reject });
      call.write(req);
    });
}

function signature(m: MethodInfo): string {
  return `(${m.clientStreaming ? 'stream ' : ''}${m.input}) returns (${m.serverStreaming ? 'stream ' : ''}${m.output})`;
}

async function listed(ask: Ask): Promise<Shape> {
  const list = await ask({ listServices: true });
  if (!('services' in list)) throw new Error('error' in list ? list.error : 'unexpected reflection answer');
  const shape: Shape = { reflection: 'offered' };
  // The reflection service itself is plumbing, not the server's contract.
  for (const service of list.services.filter((s) => !s.startsWith('grpc.reflection.')).sort()) {
    const at = `services${keySegment(service)}`;
    const files = await ask({ fileContainingSymbol: service });
    const methods = 'files' in files ? servicesInFiles(files.files).get(service) : undefined;
    shape[at] = methods ? 'service' : 'service (no descriptor)';
    for (const m of methods ?? []) shape[`${at}${keySegment(m.name)}`] = signature(m);
  }
  return shape;
}

export async function reflectionShape(client: grpc.Client, deadline: number, signal: AbortSignal): Promise<Shape> {
  for (const method of METHODS) {
    const call = client.makeBidiStreamRequest(
      method,
      encodeReflectionRequest,
      decodeReflectionResponse,
      new grpc.Metadata(),
      { deadline },
    );
    const cancel = () => call.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      return await listed(conversation(call));
    } catch (err) {
      if ((err as grpc.ServiceError).code !== grpc.status.UNIMPLEMENTED) throw err;
    } finally {
      signal.removeEventListener('abort', cancel);
      call.end();
    }
  }
  return { reflection: 'not offered' };
}
