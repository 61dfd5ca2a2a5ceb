import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { currentOwner, ownerLabels, ownerStatus, processStartTime, type Owner } from '../../../src/orchestrator/cleanup/owner.js';
import { staleRuns, type StaleRules } from '../../../src/orchestrator/cleanup/stale.js';
import type { ResourceSummary } from '../../../src/runtime/runtime.js';

const now = Date.parse('2026-11-25T12:00:00Z');
const HOUR = 3_600_000;
const container = (run: string, role: string, state: string, ageMs = 5_000, extra: Record<string, string> = {}): ResourceSummary => ({
  id: `${run}-${role}`,
  name: `${run}-${role}`,
  labels: { 'envtest.run': run, 'envtest.role': role, ...extra },
  state,
  createdAt: new Date(now - ageMs),
});

const here: Owner = { host: 'ci-1', pidNamespace: 'pid:[1]', pid: 100, startTime: '5000' };
const owned = (o: Partial<Owner>) => ownerLabels({ ...here, ...o });
// Stands in for the process table: pid 100 started at tick 5000 lives, nothing else does.
const rules: StaleRules = {
  now,
  olderThanMs: HOUR,
  ownerStatus: (o) => (o.host !== here.host ? 'elsewhere' : o.pid === 100 && o.startTime === '5000' ? 'alive' : 'gone'),
};

describe('staleRuns', () => {
  it('keeps runs with a live or just-created reaper, and detached runs', () => {
    const found = {
      containers: [
        container('watched', 'reaper', 'running', 2 * HOUR),
        container('watched', 'service', 'running', 2 * HOUR),
        container('starting', 'reaper', 'created', 2_000),
        container('dev', 'service', 'running', 2 * HOUR, { 'envtest.detached': 'true' }),
      ],
      networks: [],
      volumes: [],
    };
    expect(staleRuns(found, rules)).toEqual([]);
  });

  it('a run whose owner lives on this host is never stale, with or without a reaper, however old', () => {
    const found = { containers: [container('no-reaper', 'service', 'running', 5 * HOUR, owned({}))], networks: [], volumes: [] };
    expect(staleRuns(found, rules)).toEqual([]);
  });

  it('a run whose owner on this host is gone is stale at once, also when its pid was reused', () => {
    const found = {
      containers: [container('dead', 'service', 'running', 1_000, owned({ pid: 999 })), container('reused', 'service', 'running', 1_000, owned({ startTime: '4000' }))],
      networks: [],
      volumes: [],
    };
    expect(staleRuns(found, rules)).toEqual(['dead', 'reused']);
  });

  it('a run from another host, or with no owner and no reaper, is stale only once older than --older-than', () => {
    const found = {
      containers: [
        container('remote-young', 'service', 'running', 10 * 60_000, owned({ host: 'ci-2' })),
        container('remote-old', 'service', 'running', 2 * HOUR, owned({ host: 'ci-2' })),
        container('legacy-young', 'service', 'running', 10 * 60_000),
        container('dead-reaper', 'reaper', 'exited', 2 * HOUR),
        container('abandoned-start', 'reaper', 'created', 2 * HOUR),
      ],
      // The oldest resource decides a run's age; a network of unknown age counts as old.
      networks: [{ id: 'n', name: 'n', labels: { 'envtest.run': 'only-network' } }],
      volumes: [],
    };
    expect(staleRuns(found, rules)).toEqual(['abandoned-start', 'dead-reaper', 'only-network', 'remote-old']);
  });
});

describe('ownerStatus on this machine', () => {
  it('this process is alive; a process that exited is gone; a reused pid (other start time) is gone', async () => {
    const me = currentOwner();
    expect(ownerStatus(me, me)).toBe('alive');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await once(child, 'spawn');
    const childOwner = { ...me, pid: child.pid! };
    childOwner.startTime = processStartTime(child.pid!);
    expect(childOwner.startTime).toMatch(/^\d+$/);
    expect(ownerStatus(childOwner, me)).toBe('alive');
    expect(ownerStatus({ ...childOwner, startTime: '1' }, me)).toBe('gone');
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(ownerStatus(childOwner, me)).toBe('gone');
  });

  it('an owner on another host or in another pid namespace is elsewhere', () => {
    const me = currentOwner();
    expect(ownerStatus({ ...me, host: `${me.host}-other` }, me)).toBe('elsewhere');
    expect(ownerStatus({ ...me, pidNamespace: 'pid:[42]' }, me)).toBe('elsewhere');
  });
});
