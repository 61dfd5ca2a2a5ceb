// grpc.health.v1 messages encoded by hand: both are one field, so a protobuf runtime and a .proto
// file (which the bundled runner could not load anyway) would be all cost and no benefit.
//   message HealthCheckRequest  { string service = 1; }
//   message HealthCheckResponse { ServingStatus status = 1; }
import { GRPC_SERVING_STATUSES, type GrpcServingStatus } from '../../model/suite.js';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

export function encodeHealthRequest(service: string): Buffer {
  if (service === '') return Buffer.alloc(0);
  const bytes = Buffer.from(service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a, ...varint(bytes.length)]), bytes]);
}

function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated health response');
    const b = buf[pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, pos];
    shift += 7;
  }
}

/** The serving status, or the raw number when a newer server sends one we do not know. */
export function decodeHealthResponse(buf: Buffer): GrpcServingStatus | number {
  let pos = 0;
  let status = 0; // proto3: an absent field is its zero value, UNKNOWN
  while (pos < buf.length) {
    let tag: number;
    [tag, pos] = readVarint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      let v: number;
      [v, pos] = readVarint(buf, pos);
      if (field === 1) status = v;
    } else if (wire === 2) {
      let len: number;
      [len, pos] = readVarint(buf, pos);
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unexpected wire type ${wire} in health response`);
  }
  return GRPC_SERVING_STATUSES[status] ?? status;
}
