import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { checkListenAddress, parseTargets } from '../../../src/cli/commands/forward.js';

describe('envtest forward arguments', () => {
  it('pairs each SERVICE:PORT with the local port that follows it', () => {
    expect(parseTargets(['api:8080', '18080', 'db:5432'])).toEqual([
      { service: 'api', port: 8080, localPort: 18080 },
      { service: 'db', port: 5432 },
    ]);
  });

  it('refuses port 0 as a target (nothing listens there) but takes it as "any free local port"', () => {
    expect(() => parseTargets(['web:0'])).toThrow(new UsageError('"web:0": 0 is not a port (1-65535)'));
    expect(parseTargets(['web:80', '0'])).toEqual([{ service: 'web', port: 80, localPort: 0 }]);
    expect(() => parseTargets(['web:99999'])).toThrow(/is not a port \(1-65535\)/);
  });

  it('listens only on an address literal or localhost', () => {
    for (const ok of ['127.0.0.1', '::1', '0.0.0.0', 'localhost']) expect(() => checkListenAddress(ok)).not.toThrow();
    // An empty address would make node listen on every interface; a bad one failed as "internal error".
    for (const bad of ['', '999.1.1.1', 'not-a-host.invalid']) {
      expect(() => checkListenAddress(bad)).toThrow(UsageError);
      expect(() => checkListenAddress(bad)).toThrow(/--address ".*" is not an address of this machine/);
    }
  });
});
