// env.logs() puts stdout and stderr back in the order the engine stamped them, whatever the
// precision of each stamp; env.exec() refuses a stopped service before asking the engine.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import { execIn, logLines } from '../../../src/library/service-output.js';
import type { Backend } from '../../../src/runtime/backend.js';

const ended = (text: string) => {
  const s = new PassThrough();
  s.end(text);
  return s;
};

function runtimeWith(stdout: string, stderr: string, status = 'running'): Backend {
  return {
    logs: async (_id: string, opts: { timestamps?: boolean }) => {
      expect(opts.timestamps).toBe(true);
      return { stdout: ended(stdout), stderr: ended(stderr) };
    },
    serviceState: async () => ({ status, exitCode: 1 }),
    exec: async () => {
      throw new Error('must not be called');
    },
  } as unknown as Backend;
}

describe('logLines', () => {
  // RFC3339Nano drops trailing zeros: `.5Z` is later than `.12Z`.
  const out = '2026-01-01T10:00:00.12Z first\n2026-01-01T10:00:01Z third\n';
  const err = '2026-01-01T10:00:00.5Z second\n2026-01-01T10:00:01.000000001Z fourth\n';

  it('interleaves both streams by time', async () => {
    expect(await logLines(runtimeWith(out, err), 'c', {})).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('gives one stream, or the last lines', async () => {
    expect(await logLines(runtimeWith(out, err), 'c', { stream: 'stderr' })).toEqual(['second', 'fourth']);
    expect(await logLines(runtimeWith(out, err), 'c', { tail: 2 })).toEqual(['third', 'fourth']);
    expect(await logLines(runtimeWith(out, err), 'c', { tail: 0 })).toEqual([]);
  });
});

describe('execIn', () => {
  it('refuses a service that is not running, naming it', async () => {
    await expect(execIn(runtimeWith('', '', 'exited'), 'c', 'migrate', ['true'], {})).rejects.toThrow(EnvironmentError);
    await expect(execIn(runtimeWith('', '', 'exited'), 'c', 'migrate', ['true'], {})).rejects.toThrow(/cannot exec in migrate: its container is exited/);
  });
});
