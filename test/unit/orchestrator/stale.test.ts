import { describe, expect, it } from 'vitest';
import { staleRuns } from '../../../src/orchestrator/stale.js';
import type { ResourceSummary } from '../../../src/runtime/runtime.js';

const now = Date.parse('2026-11-25T12:00:00Z');
const container = (run: string, role: string, state: string, ageMs = 5_000, extra: Record<string, string> = {}): ResourceSummary => ({
  id: `${run}-${role}`,
  name: `${run}-${role}`,
  labels: { 'envtest.run': run, 'envtest.role': role, ...extra },
  state,
  createdAt: new Date(now - ageMs),
});

describe('staleRuns', () => {
  it('keeps runs with a live or just-created reaper, and detached runs; the rest are stale', () => {
    const found = {
      containers: [
        container('watched', 'reaper', 'running'),
        container('watched', 'service', 'running'),
        container('starting', 'reaper', 'created', 2_000),
        container('abandoned-start', 'reaper', 'created', 120_000),
        container('orphan', 'service', 'running'),
        container('dead-reaper', 'reaper', 'exited'),
        container('dev', 'service', 'running', 5_000, { 'envtest.detached': 'true' }),
      ],
      networks: [{ id: 'n', name: 'n', labels: { 'envtest.run': 'only-network' } }],
      volumes: [],
    };
    expect(staleRuns(found, now)).toEqual(['abandoned-start', 'dead-reaper', 'only-network', 'orphan']);
  });
});
