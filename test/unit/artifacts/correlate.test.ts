import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { correlate, failureWindow, fewest, type CorrelatedLine } from '../../../src/artifacts/correlate.js';
import { splitEngineTime, type LogLine } from '../../../src/artifacts/log-lines.js';
import type { CheckResult } from '../../../src/model/results.js';
import type { ComposeProject } from '../../../src/model/project.js';
import type { Environment } from '../../../src/orchestrator/lifecycle/environment.js';
import { failureLogs } from '../../../src/orchestrator/sampling/failure-logs.js';
import { servicesBehind } from '../../../src/orchestrator/sampling/services-behind.js';
import type { Backend } from '../../../src/runtime/backend.js';

const line = (service: string, at: number, text: string): LogLine => ({ service, at, stream: 'stdout', line: text });

describe('log correlation', () => {
  const window = { startedAt: 10_000, endedAt: 10_500, traceId: 'abc123' };
  const lines = [
    line('api', 8_999, 'too early'),
    line('api', 9_000, 'window start'),
    line('db', 10_200, 'db during'),
    line('cache', 10_200, 'not behind the target'),
    line('cache', 50_000, 'much later, but carries abc123'),
    line('api', 11_500, 'window end'),
    line('api', 11_501, 'too late'),
  ];

  it('keeps the target and its dependencies from start-1s to end+1s, and trace-id lines from anywhere', () => {
    expect(correlate(window, ['api', 'db'], lines).map((l) => [l.line, l.match])).toEqual([
      ['window start', 'window'],
      ['db during', 'window'],
      ['window end', 'window'],
      ['much later, but carries abc123', 'trace'],
    ]);
  });

  it('keeps trace-id lines first when it must drop some', () => {
    const many: CorrelatedLine[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ ...line('api', i, `w${i}`), match: 'window' as const })),
      { ...line('x', 100, 'traced'), match: 'trace' as const },
    ];
    const kept = fewest(many, 20);
    expect(kept).toHaveLength(20);
    expect(kept.at(-1)!.line).toBe('traced');
  });

  it('uses the failing transaction, or the whole check for a latency failure', () => {
    const base = { suite: 's', name: 'n', target: 'api:80', protocol: 'http', attempts: 1, durationMs: 5, message: 'm', startedAt: 1, finishedAt: 9 };
    expect(failureWindow({ ...base, status: 'passed' } as CheckResult)).toBeUndefined();
    expect(failureWindow({ ...base, status: 'failed', failure: { id: '1.1.0', startedAt: 3, endedAt: 4 } } as CheckResult)).toEqual({ id: '1.1.0', startedAt: 3, endedAt: 4 });
    expect(failureWindow({ ...base, status: 'failed' } as CheckResult)).toEqual({ startedAt: 1, endedAt: 9 });
  });

  it('reads the engine timestamp off a line', () => {
    expect(splitEngineTime('2026-11-29T15:13:04.655123456Z hello world', 0)).toEqual({ at: Date.parse('2026-11-29T15:13:04.655Z'), line: 'hello world' });
    expect(splitEngineTime('no stamp', 42)).toEqual({ at: 42, line: 'no stamp' });
  });

  it('finds the services behind a target by name, container_name, hostname or alias, with their dependencies', () => {
    const project = {
      name: 'p',
      services: {
        api: { depends_on: { db: { condition: 'service_started' } }, networks: { default: { aliases: ['orders'] } } },
        db: { container_name: 'pg-main' },
        web: { hostname: 'www' },
      },
    } as unknown as ComposeProject;
    expect(servicesBehind(project, 'api')).toEqual(['api', 'db']);
    expect(servicesBehind(project, 'orders')).toEqual(['api', 'db']);
    expect(servicesBehind(project, 'pg-main')).toEqual(['db']);
    expect(servicesBehind(project, 'www')).toEqual(['web']);
    expect(servicesBehind(project, 'elsewhere')).toEqual([]);
  });
});

describe('failure logs of an attached run', () => {
  it('asks the engine for timestamped lines since the earliest failure and correlates them', async () => {
    const asked: unknown[] = [];
    const runtime = {
      logs: async (id: string, opts: unknown) => {
        asked.push({ id, opts });
        const out = id === 'c-api' ? ['2026-11-29T10:00:10.100Z GET /orders trace abc', '2026-11-29T10:00:30.000Z later'] : [];
        return { stdout: Readable.from(out.map((l) => `${l}\n`)), stderr: Readable.from([]) };
      },
    } as unknown as Backend;
    const start = Date.parse('2026-11-29T10:00:10.000Z');
    const env = {
      // As attach() finds it: services known by their labels, no compose keys.
      project: { name: 'p', services: {} } as unknown as ComposeProject,
      services: { api: { service: 'api', containerId: 'c-api' }, db: { service: 'db', containerId: 'c-db' } } as unknown as Environment['services'],
    };
    const failed = { suite: 's', name: 'n', target: 'api:80', protocol: 'http', status: 'failed', attempts: 1, durationMs: 5, message: 'm', failure: { id: '1.1.0', startedAt: start, endedAt: start + 200 } } as CheckResult;
    const logsFor = await failureLogs(env, { runtime }, [failed]);
    expect(logsFor(failed)!.map((l) => [l.service, l.line, l.match])).toEqual([['api', 'GET /orders trace abc', 'window']]);
    expect(asked).toEqual([
      { id: 'c-api', opts: { follow: false, timestamps: true, sinceMs: start - 1000 } },
      { id: 'c-db', opts: { follow: false, timestamps: true, sinceMs: start - 1000 } },
    ]);
  });
});
