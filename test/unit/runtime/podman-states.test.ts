import { describe, expect, it } from 'vitest';
import { dockerStatus } from '../../../src/runtime/docker/podman-states.js';

describe('container states as Podman names them', () => {
  it('reads an exited-but-not-cleaned-up container as exited, so one-shot jobs complete', () => {
    expect(dockerStatus('stopped')).toBe('exited');
  });
  it('maps the other Podman-only words onto the Docker states they mean', () => {
    expect(dockerStatus('configured')).toBe('created');
    expect(dockerStatus('stopping')).toBe('running');
  });
  it("leaves Docker's own states alone", () => {
    for (const s of ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']) expect(dockerStatus(s)).toBe(s);
  });
});
