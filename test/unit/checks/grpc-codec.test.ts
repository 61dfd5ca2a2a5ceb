import { describe, expect, it } from 'vitest';
import { decodeHealthResponse, encodeHealthRequest } from '../../../src/checks/protocols/grpc-health-codec.js';

describe('grpc.health.v1 codec', () => {
  it('encodes the service name as field 1', () => {
    expect(encodeHealthRequest('')).toEqual(Buffer.alloc(0));
    expect(encodeHealthRequest('a.B')).toEqual(Buffer.from([0x0a, 3, 0x61, 0x2e, 0x42]));
    expect(encodeHealthRequest('x'.repeat(200)).subarray(0, 3)).toEqual(Buffer.from([0x0a, 0xc8, 0x01]));
  });
  it('decodes the status, skipping unknown fields', () => {
    expect(decodeHealthResponse(Buffer.from([0x08, 1]))).toBe('SERVING');
    expect(decodeHealthResponse(Buffer.from([0x08, 2]))).toBe('NOT_SERVING');
    expect(decodeHealthResponse(Buffer.alloc(0))).toBe('UNKNOWN');
    expect(decodeHealthResponse(Buffer.from([0x12, 2, 0x61, 0x62, 0x08, 3]))).toBe('SERVICE_UNKNOWN');
    expect(decodeHealthResponse(Buffer.from([0x08, 9]))).toBe(9);
  });
});
