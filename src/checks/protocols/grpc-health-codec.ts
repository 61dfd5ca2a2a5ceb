// grpc.health.v1 messages encoded by hand: both are one field, so a protobuf runtime and a .proto
// file (which the bundled runner could not load anyway) would be all cost and no benefit.
//   message HealthCheckRequest  { string service = 1; }
//   message HealthCheckResponse { ServingStatus status = 1; }
import { GRPC_SERVING_STATUSES, type GrpcServingStatus } from '../../model/suite.js';
import { bytesField, readFields } from './protobuf-wire.js';

export function encodeHealthRequest(service: string): Buffer {
  return service === '' ? Buffer.alloc(0) : bytesField(1, service);
}

/** The serving status, or the raw number when a newer server sends one we do not know. */
export function decodeHealthResponse(buf: Buffer): GrpcServingStatus | number {
  const field = readFields(buf).find((f) => f.field === 1 && typeof f.value === 'number');
  // proto3: an absent field is its zero value, UNKNOWN
  const status = (field?.value as number | undefined) ?? 0;
  return GRPC_SERVING_STATUSES[status] ?? status;
}
