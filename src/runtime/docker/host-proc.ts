// A local engine's containers are processes of this machine: their network namespace's socket
// tables are in /proc/<pid>/net, readable without starting anything. Only where the pid the engine
// reports is, in this process's /proc, a process of that very container: a remote engine, or one in
// a VM (Docker Desktop), reports pids of another machine, and an exited container's pid may have
// been reused by the time it is read. The cgroup path naming the container id is that proof
// (Docker: /docker/<id> or docker-<id>.scope; Podman: libpod-<id>.scope), checked on every read.
import { readFile } from 'node:fs/promises';
import type { SocketTables } from '../backend.js';

const TABLES = ['tcp', 'tcp6', 'udp', 'udp6'] as const;

/** A reader of the container's socket tables, or undefined where this process cannot see them. */
export async function hostSocketTables(containerId: string, pid: number, procRoot = '/proc'): Promise<(() => Promise<SocketTables>) | undefined> {
  if (!Number.isInteger(pid) || pid <= 0 || !/^[0-9a-f]{64}$/.test(containerId)) return undefined;
  const dir = `${procRoot}/${pid}`;
  const ours = async () => (await readFile(`${dir}/cgroup`, 'utf8')).includes(containerId);
  const read = async (): Promise<SocketTables> => {
    if (!(await ours().catch(() => false))) throw new Error(`process ${pid} of container ${containerId.slice(0, 12)} is gone`);
    const tables: SocketTables = {};
    // A kernel without IPv6 has no tcp6: an empty table, as the helper prints it.
    await Promise.all(TABLES.map(async (t) => (tables[t] = await readFile(`${dir}/net/${t}`, 'utf8').catch(() => ''))));
    return tables;
  };
  try {
    const first = await read();
    // Unreadable (another user's process, a hardened /proc): every table empty, which a helper would not say.
    return first.tcp ? read : undefined;
  } catch {
    return undefined;
  }
}
