import { describe, expect, it } from 'vitest';
import { isCI } from '../../../src/ci.js';
import { wantsLiveStatus } from '../../../src/cli/live-status.js';

describe('isCI', () => {
  it('reads CI the way CI providers set it', () => {
    expect(isCI({ CI: 'true' })).toBe(true);
    expect(isCI({ CI: '1' })).toBe(true);
    expect(isCI({ CI: 'woodpecker' })).toBe(true);
    expect(isCI({ CI: 'false' })).toBe(false);
    expect(isCI({ CI: 'FALSE ' })).toBe(false);
    expect(isCI({ CI: '0' })).toBe(false);
    expect(isCI({ CI: '' })).toBe(false);
    expect(isCI({})).toBe(false);
  });
});

describe('the live status line', () => {
  it('is for a terminal outside CI; CI=false is not CI', () => {
    expect(wantsLiveStatus({ isTTY: true }, {})).toBe(true);
    expect(wantsLiveStatus({ isTTY: true }, { CI: 'false' })).toBe(true);
    expect(wantsLiveStatus({ isTTY: true }, { CI: '0' })).toBe(true);
    expect(wantsLiveStatus({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(wantsLiveStatus({ isTTY: false }, {})).toBe(false);
    expect(wantsLiveStatus({}, { CI: 'false' })).toBe(false);
  });
});
