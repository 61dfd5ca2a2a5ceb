// Who owns a run: the process that started it, recorded on every resource as labels. A pid alone
// is not enough (pids are reused, and another container may share this hostname but not its pids),
// so the owner is host + pid namespace + pid + the process's start time. The stale sweep asks
// whether that exact process still lives, and only on the host where the question makes sense.
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { LABEL } from '../../runtime/labels.js';
import type { Labels } from '../../runtime/backend.js';

export interface Owner {
  host: string;
  /** `pid:[4026531836]`: processes in another pid namespace cannot be looked up from here. */
  pidNamespace?: string;
  pid: number;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat): tells a reused pid apart. */
  startTime?: string;
}

/** `alive`: the owner process runs on this host; `gone`: it ran on this host and does not any more. */
export type OwnerStatus = 'alive' | 'gone' | 'elsewhere';

export function currentOwner(): Owner {
  return { host: hostname(), pidNamespace: readOr(() => readlinkSync('/proc/self/ns/pid')), pid: process.pid, startTime: processStartTime(process.pid) };
}

export function ownerLabels(owner: Owner): Labels {
  return {
    [LABEL.ownerHost]: owner.host,
    [LABEL.ownerPid]: String(owner.pid),
    ...(owner.pidNamespace ? { [LABEL.ownerPidNamespace]: owner.pidNamespace } : {}),
    ...(owner.startTime ? { [LABEL.ownerStartTime]: owner.startTime } : {}),
  };
}

export function ownerFromLabels(labels: Labels): Owner | undefined {
  const host = labels[LABEL.ownerHost];
  const pid = Number(labels[LABEL.ownerPid]);
  if (!host || !Number.isInteger(pid) || pid <= 0) return undefined;
  return { host, pid, pidNamespace: labels[LABEL.ownerPidNamespace], startTime: labels[LABEL.ownerStartTime] };
}

/** Looks the owner up among this machine's processes, when it is from this machine at all. */
export function ownerStatus(owner: Owner, here: Owner = currentOwner()): OwnerStatus {
  if (owner.host !== here.host || owner.pidNamespace !== here.pidNamespace) return 'elsewhere';
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    // EPERM: the process exists, it just belongs to another user.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return 'gone';
  }
  if (!owner.startTime) return 'alive';
  const started = processStartTime(owner.pid);
  // Same pid, another start time: the owner died and its pid went to someone else.
  return started === undefined || started === owner.startTime ? 'alive' : 'gone';
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so count from its end. */
export function processStartTime(pid: number): string | undefined {
  const stat = readOr(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (!stat) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function readOr<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined; // not Linux, or no /proc: the checks that need it are skipped
  }
}
