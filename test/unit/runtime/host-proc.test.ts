// Which pids count as the container's: the cgroup path naming the container, on every read.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupNames, hostSocketTables } from '../../../src/runtime/docker/host-proc.js';

const id = 'a'.repeat(64);
const other = 'b'.repeat(64);
const TCP = '  sl  local_address rem_address   st\n   0: 00000000:1F90 00000000:0000 0A\n';

function proc(pid: number, cgroup: string, tables: Record<string, string> = { tcp: TCP, udp: '' }) {
  const root = mkdtempSync(join(tmpdir(), 'envtest-proc-'));
  mkdirSync(join(root, String(pid), 'net'), { recursive: true });
  writeFileSync(join(root, String(pid), 'cgroup'), cgroup);
  for (const [name, text] of Object.entries(tables)) writeFileSync(join(root, String(pid), 'net', name), text);
  return root;
}

describe('a container’s socket tables from the host’s /proc', () => {
  it('reads them where the pid’s cgroup names the container (Docker v1 and v2, Podman), missing tables empty', async () => {
    for (const cgroup of [`0::/docker/${id}\n`, `0::/system.slice/docker-${id}.scope\n`, `0::/machine.slice/libpod-${id}.scope/container\n`]) {
      const read = await hostSocketTables(id, 42, proc(42, cgroup));
      expect(await read!()).toEqual({ tcp: TCP, tcp6: '', udp: '', udp6: '' });
    }
  });

  it('refuses a pid of another container (a VM’s pid numbers, a reused pid), no pid, or tables it cannot read', async () => {
    expect(await hostSocketTables(id, 42, proc(42, `0::/docker/${other}\n`))).toBeUndefined();
    expect(await hostSocketTables(id, 0, proc(42, `0::/docker/${id}\n`))).toBeUndefined();
    expect(await hostSocketTables(id, 43, proc(42, `0::/docker/${id}\n`))).toBeUndefined();
    expect(await hostSocketTables('short', 42, proc(42, `0::/docker/short\n`))).toBeUndefined();
    expect(await hostSocketTables(id, 42, proc(42, `0::/docker/${id}\n`, {}))).toBeUndefined();
  });

  it('counts only the container itself, not a container nested inside it', () => {
    expect(cgroupNames(`12:pids:/docker/${id}\n0::/docker/${id}\n`, id)).toBe(true);
    expect(cgroupNames(`0::/docker/${id}/docker/${other}\n`, id)).toBe(false);
    expect(cgroupNames(`0::/docker/${id}/docker/${other}\n`, other)).toBe(true);
    expect(cgroupNames(`1:name=systemd:/libpod_parent/libpod-${id}\n`, id)).toBe(true);
  });

  it('throws, rather than give empty tables, when they vanish between reads (the process exited)', async () => {
    const root = proc(42, `0::/docker/${id}\n`, { tcp: TCP, udp: '' });
    const read = await hostSocketTables(id, 42, root);
    rmSync(join(root, '42', 'net', 'tcp'));
    await expect(read!()).rejects.toThrow();
  });

  it('throws once the pid is no longer the container’s', async () => {
    const root = proc(42, `0::/docker/${id}\n`);
    const read = await hostSocketTables(id, 42, root);
    writeFileSync(join(root, '42', 'cgroup'), `0::/user.slice/session-1.scope\n`);
    await expect(read!()).rejects.toThrow(/process 42 of container aaaaaaaaaaaa is gone/);
  });
});
