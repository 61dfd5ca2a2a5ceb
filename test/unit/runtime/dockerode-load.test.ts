import Module from 'node:module';
import { describe, expect, it } from 'vitest';
import { Docker } from '../../../src/runtime/docker/dockerode.js';

describe('dockerode as envtest loads it', () => {
  it('works without loading gRPC or protobuf, which only BuildKit sessions need', async () => {
    const loaded = Object.keys((Module as unknown as { _cache: Record<string, unknown> })._cache);
    expect(loaded.some((path) => path.includes('/dockerode/lib/docker.js'))).toBe(true);
    expect(loaded.filter((path) => /[\\/]node_modules[\\/](@grpc|protobufjs)[\\/]/.test(path))).toEqual([]);
    const docker = new Docker({ socketPath: '/nonexistent.sock' });
    expect(typeof docker.listContainers).toBe('function');
    // A BuildKit build says why it cannot run instead of failing somewhere inside gRPC.
    await expect(docker.buildImage({ context: '/nonexistent', src: [] }, { version: '2' })).rejects.toThrow(/BuildKit sessions/);
  });
});
