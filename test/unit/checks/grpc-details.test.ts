import { describe, expect, it } from 'vitest';
import { tidyDetails } from '../../../src/checks/protocols/grpc.js';

describe('grpc failure details', () => {
  it('drops the timestamp and an empty resolution note grpc-js adds to connection errors', () => {
    // Seen from grpc-js 1.14 calling an https (not gRPC) server.
    expect(tidyDetails('No connection established. Last error: Protocol error (2026-11-25T13:36:06.432Z). Resolution note: ')).toBe(
      'No connection established. Last error: Protocol error.',
    );
    expect(tidyDetails('No connection established. Last error: connect ECONNREFUSED 10.0.0.2:50051 (2026-11-25T13:36:06Z)')).toBe(
      'No connection established. Last error: connect ECONNREFUSED 10.0.0.2:50051',
    );
  });
  it('keeps a resolution note that says something, and plain details as they are', () => {
    expect(tidyDetails('Name resolution failed. Resolution note: DNS lookup failed')).toBe('Name resolution failed. Resolution note: DNS lookup failed');
    expect(tidyDetails('unknown service "shop.Nope"')).toBe('unknown service "shop.Nope"');
  });
});
