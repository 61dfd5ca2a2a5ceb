import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../../src/compose/validate/refusals.js';

describe('refusals say why and whether support is planned', () => {
  it('by the key path, with user-chosen names in any position', () => {
    expect(refusalOf(['services', 'web', 'build', 'ssh'])).toBe('not supported yet (needs BuildKit; envtest builds through the engine API classic builder; not planned)');
    expect(refusalOf(['services', 'web', 'pre_start'])).toBe('not supported yet (pre_start runs containers of their own image before the service, which envtest does not do yet; post_start and pre_stop are run; planned)');
    expect(refusalOf(['services', 'web', 'volumes', 0, 'volume', 'subpath'])).toContain('Docker Engine API 1.45');
    expect(refusalOf(['networks', 'back', 'enable_ipv4'])).toBe('not supported yet (needs Docker Engine API 1.47; planned)');
    // `secrets` of a service is supported; under build it needs BuildKit.
    expect(refusalOf(['services', 'web', 'build', 'secrets'])).toContain('BuildKit');
    expect(refusalOf(['services', 'web', 'some_future_key'])).toBe('not supported yet (a Compose key envtest does not implement; not planned)');
  });
});
