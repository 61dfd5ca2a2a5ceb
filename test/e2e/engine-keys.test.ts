// Compose keys for cgroups, devices, namespaces, fixed addresses and non-default driver options
// reach the engine: checked with `docker inspect` on what `envtest up` made.
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, fixture, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const runId = runIdsRemovedAfterAll(afterAll);

const containerOf = (id: string, service: string) => docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', `label=envtest.service=${service}`]);
const inspect = async (kind: string, name: string) => JSON.parse(await docker([kind, 'inspect', name, '--format', '{{json .}}'])) as Record<string, any>;

describe('engine options from compose keys', () => {
  it('sets cgroup limits, devices, ipc/pid/cgroup namespaces, a fixed address and MAC, labels from a file, and driver options', async () => {
    const id = runId('engine');
    const result = await envtest(['up', '-f', fixture('stack-engine-keys/compose.yaml'), '--run-id', id]);
    expect(result.exitCode, result.all).toBe(0);
    // One warning for the Swarm-only keys, naming them.
    expect(result.stderr.match(/Swarm setting/g)).toHaveLength(1);
    expect(result.stderr).toContain('placement, resources.reservations.cpus are Swarm settings: ignored');

    const appId = await containerOf(id, 'app');
    const app = await inspect('container', appId);
    expect(app.HostConfig).toMatchObject({
      CpuPeriod: 100000,
      CpuQuota: 50000,
      CpusetCpus: '0',
      Memory: 64 * 1024 ** 2,
      MemorySwap: 128 * 1024 ** 2,
      MemorySwappiness: 10,
      MemoryReservation: 32 * 1024 ** 2,
      OomScoreAdj: 100,
      Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/envtest-null', CgroupPermissions: 'rwm' }],
      DeviceCgroupRules: ['c 1:3 mr'],
      IpcMode: 'shareable',
      CgroupnsMode: 'private',
      CgroupParent: 'envtest-e2e-parent',
    });
    expect(app.Config.Labels).toMatchObject({ 'from.label.file': 'yes', 'from.compose': 'yes' });
    expect(app.Config.Env).toContain('RAW=$NOT_INTERPOLATED "kept"');
    const endpoint = Object.values(app.NetworkSettings.Networks as Record<string, { IPAddress: string; MacAddress: string }>)[0]!;
    expect(endpoint.IPAddress).toBe('172.30.197.10');
    expect(endpoint.MacAddress).toBe('02:42:ac:1e:c5:0a');

    const side = await inspect('container', await containerOf(id, 'side'));
    expect(side.HostConfig.IpcMode).toBe(`container:${app.Id}`);
    expect(side.HostConfig.PidMode).toBe(`container:${app.Id}`);
    // Sharing the pid namespace: the side container sees app's `sleep` as well as its own.
    expect((await docker(['exec', side.Id, 'sh', '-c', 'ls /proc | grep -c "^[0-9]"'])).trim()).not.toBe('1');

    const network = await inspect('network', Object.keys(app.NetworkSettings.Networks)[0]!);
    expect(network.IPAM.Config).toEqual([{ Subnet: '172.30.197.0/24' }]);
    expect(network.Options).toMatchObject({ 'com.docker.network.driver.mtu': '1400' });
    const volumeName = (app.Mounts as { Destination: string; Name: string }[]).find((m) => m.Destination === '/data')!.Name;
    expect((await inspect('volume', volumeName)).Options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });

    const down = await envtest(['down', id]);
    expect(down.exitCode, down.all).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('refuses network_mode: host by name, saying why and what to do, before touching the engine', async () => {
    const id = runId('hostnet');
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'envtest-hostnet-'));
    await writeFile(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: envtest/base:bookworm\n    network_mode: host\n');
    const result = await envtest(['up', '-f', join(dir, 'compose.yaml'), '--run-id', id]);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toMatch(/compose.yaml:4 services.web.network_mode: is refused \(not planned\): "host" .*; drop network_mode/);
    expect(await leftovers(id)).toEqual([]);
  });
});
