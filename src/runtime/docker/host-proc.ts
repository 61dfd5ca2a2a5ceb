// A local engine's containers are processes of this machine: their network namespace's socket
// tables are in /proc/<pid>/net, readable without starting anything. Only where the pid the engine
// reports is, in this process's /proc, a process of that very container: a remote engine, or one in
// a VM (Docker Desktop), reports pids of another machine, and an exited container's pid may have
// been reused by the time it is read. The cgroup path ending in the container id is that proof
// (Docker: /docker/<id> or docker-<id>.scope; Podman: libpod-<id>.scope), checked before and after
// every read, so a table read across the process's exit is never returned.
import { readFile } from 'node:fs/promises';
import type { SocketTables } from '../backend.js';

const TABLES = ['tcp', 'tcp6', 'udp', 'udp6'] as const;

/** Whether a /proc/<pid>/cgroup text puts the process in that container itself (not in one nested inside it). */
export function cgroupNames(text: string, containerId: string): boolean {
  const own = new RegExp(`(?:^|/)(?:docker-|libpod-)?${containerId}(?:\\.scope)?(?:/container)?$`);
  return text.split('\n').some((line) => own.test(line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1)));
}

/** A reader of the container's socket tables, or undefined where this process cannot see them. */
export async function hostSocketTables(containerId: string, pid: number, procRoot = '/proc'): Promise<(() => Promise<SocketTables>) | undefined> {
  if (!Number.isInteger(pid) || pid <= 0 || !/^[0-9a-f]{64}$/.test(containerId)) return undefined;
  const dir = `${procRoot}/${pid}`;
  const gone = () => new Error(`process ${pid} of container ${containerId.slice(0, 12)} is gone`);
  const ours = async () => cgroupNames(await readFile(`${dir}/cgroup`, 'utf8').catch(() => ''), containerId);
  const read = async (): Promise<SocketTables> => {
    if (!(await ours())) throw gone();
    const tables: SocketTables = {};
    await Promise.all(
      TABLES.map(async (t) => {
        // A kernel without IPv6 has no tcp6 or udp6: an empty table, as the helper prints it. tcp and
        // udp are always there while the process is: missing, it has just exited.
        tables[t] = await readFile(`${dir}/net/${t}`, 'utf8').catch((e: unknown) => {
          if (t.endsWith('6')) return '';
          throw e;
        });
      }),
    );
    // The process may have exited, and its pid been reused, while the tables were read.
    if (!(await ours())) throw gone();
    return tables;
  };
  try {
    const first = await read();
    // Unreadable (another user's process, a hardened /proc): an empty table, which a helper would not print.
    return first.tcp ? read : undefined;
  } catch {
    return undefined;
  }
}
