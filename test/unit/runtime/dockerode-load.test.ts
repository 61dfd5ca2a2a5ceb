import Module from 'node:module';
import { createServer } from 'node:net';
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

  it('loads the ssh transport (ssh2) only when an ssh:// engine is dialled, and then dials through it', async () => {
    const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
    const ssh2Loaded = () => Object.keys(cache).some((path) => /[\\/]node_modules[\\/]ssh2[\\/]/.test(path));
    expect(ssh2Loaded()).toBe(false);
    // A loopback port nothing listens on: the ssh client's connection is refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const docker = new Docker({ protocol: 'ssh', host: '127.0.0.1', port, username: 'nobody', sshOptions: { readyTimeout: 2000 } } as never);
    await expect(docker.ping()).rejects.toThrow(/ECONNREFUSED/);
    expect(ssh2Loaded()).toBe(true);
    // A second connection goes through the same, now loaded, transport.
    await expect(docker.ping()).rejects.toThrow(/ECONNREFUSED/);
  });
});
