import { afterEach, describe, expect, it, vi } from 'vitest';
import { metricsDocument } from '../../../src/artifacts/metrics.js';
import { openMetrics } from '../../../src/artifacts/openmetrics.js';
import { buildReport } from '../../../src/artifacts/report.js';
import type { CheckResult } from '../../../src/model/results.js';
import { ResourceSampler } from '../../../src/orchestrator/sampling/resource-sampler.js';
import type { Backend, ResourceUsage } from '../../../src/runtime/backend.js';

const results: CheckResult[] = [
  { suite: 's "q"', name: 'health', target: 'api:80', protocol: 'http', status: 'passed', attempts: 1, durationMs: 900, message: 'ok', startedAt: 5_000, finishedAt: 5_900, samplesMs: [1, 2, 3, 4], latency: { min: 1, p50: 2, p95: 4, p99: 4, max: 4, samples: 4 } },
  { suite: 's "q"', name: 'orders', target: 'api:80', protocol: 'http', status: 'failed', attempts: 3, durationMs: 1200, message: 'no', startedAt: 5_000, finishedAt: 6_200 },
];
const report = buildReport({
  runId: 'r1',
  project: 'p',
  startedAt: 0,
  finishedAt: 8_000,
  environmentStartedAt: 1_000,
  services: [{ name: 'api', containerName: 'p-r1-api', createdMs: 100, startedMs: 400, readyMs: 1400 }],
  results,
});
const resources: Record<string, ResourceUsage[]> = { api: [{ at: 1, cpuPercent: 10, memoryBytes: 100 }, { at: 2, cpuPercent: 30, memoryBytes: 300 }] };

describe('metrics', () => {
  it('metrics.json has the timeline on one axis, latency distributions and resource summaries', () => {
    const m = metricsDocument(report, results, resources);
    expect(m.timeline.checks).toEqual([
      { suite: 's "q"', name: 'health', status: 'passed', startMs: 4_000, endMs: 4_900 },
      { suite: 's "q"', name: 'orders', status: 'failed', startMs: 4_000, endMs: 5_200 },
    ]);
    expect(m.services.api!.usage).toEqual({ samples: 2, cpuPercent: { max: 30, mean: 20 }, memoryBytes: { max: 300, mean: 200 } });
    expect(m.checks[0]!.latency).toEqual({ min: 1, p50: 2, p95: 4, p99: 4, max: 4, samples: 4 });
  });

  it('metrics.prom is OpenMetrics text: typed families, escaped labels, a summary per sampled check, # EOF last', () => {
    const text = openMetrics(report, metricsDocument(report, results, resources));
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('# EOF');
    const typed = new Set(lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
    for (const l of lines.filter((x) => !x.startsWith('#'))) {
      expect(l).toMatch(/^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN)$/);
      const name = l.split(/[{ ]/)[0]!.replace(/_(count|sum)$/, '');
      expect(typed.has(name), l).toBe(true);
    }
    expect(text).toContain('envtest_check_latency_seconds{run="r1",suite="s \\"q\\"",check="health",quantile="0.95"} 0.004');
    expect(text).toContain('envtest_check_latency_seconds_count{run="r1",suite="s \\"q\\"",check="health"} 4');
    expect(text).toContain('envtest_service_start_seconds{run="r1",service="api",phase="ready"} 1.4');
    expect(text).toContain('envtest_check_passed{run="r1",suite="s \\"q\\"",check="orders"} 0');
    expect(text).toContain('envtest_service_memory_max_bytes{run="r1",service="api"} 300');
  });
});

describe('ResourceSampler', () => {
  afterEach(() => vi.useRealTimers());

  it('takes a sample every second, not every second plus the engine\'s answer time', async () => {
    vi.useFakeTimers();
    let t = 0;
    const runtime = {
      stats: () => new Promise<ResourceUsage>((resolve) => setTimeout(() => resolve({ at: ++t, cpuPercent: 1, memoryBytes: 1 }), 600)),
    } as unknown as Backend;
    const sampler = new ResourceSampler(runtime).start();
    sampler.track('a', 'id-a');
    await vi.advanceTimersByTimeAsync(10_000);
    const done = sampler.finish().samples();
    await vi.advanceTimersByTimeAsync(2_000);
    const samples = await done;
    // Tracked after the first tick: asked at 1, 2, ..., 10 s, each answered 0.6 s later, so nine
    // are in when it stops; waiting for the answer before the next second would give only 10 / 1.6 = 6.
    expect(samples.a!.length).toBeGreaterThanOrEqual(9);
  });

  it('finish() waits for no answer on its way; a container without a sample yet gets one taken at once, memory without CPU', async () => {
    vi.useFakeTimers();
    const asked: { id: string; now?: boolean }[] = [];
    const signals: (AbortSignal | undefined)[] = [];
    const runtime = {
      stats: (id: string, opts?: { now?: boolean; signal?: AbortSignal }) => {
        asked.push({ id, now: opts?.now });
        if (!opts?.now) signals.push(opts?.signal);
        // The engine measures CPU for a second; a sample taken at once has memory only.
        if (opts?.now) return Promise.resolve({ at: Date.now(), memoryBytes: 7 });
        return new Promise<ResourceUsage>((resolve) => setTimeout(() => resolve({ at: Date.now(), cpuPercent: 1, memoryBytes: 1 }), 600));
      },
    } as unknown as Backend;
    const sampler = new ResourceSampler(runtime).start();
    sampler.track('sampled', 'id-a');
    await vi.advanceTimersByTimeAsync(1_700); // asked at 1 s (answered at 1.6 s)
    sampler.track('new', 'id-b');
    await vi.advanceTimersByTimeAsync(400); // at 2 s both are asked; neither answer is in
    let stopped: Record<string, ResourceUsage[]> | undefined;
    void sampler.finish().samples().then((s) => (stopped = s));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBeDefined();
    expect(stopped!.sampled).toHaveLength(1);
    expect(stopped!.new).toEqual([{ at: expect.any(Number), memoryBytes: 7 }]);
    expect(asked.filter((a) => a.now)).toEqual([{ id: 'id-b', now: true }]);
    // The questions still out are dropped, so no request to the engine outlives the run.
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.every((s) => s?.aborted)).toBe(true);
    // Answers that arrive anyway change nothing finish() gave.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stopped!.sampled).toHaveLength(1);
    expect(stopped!.new).toHaveLength(1);
  });

  it('a started container\'s first reading is asked for at its start, so finish() need not wait for the engine\'s next tick', async () => {
    vi.useFakeTimers();
    const asked: { id: string; now?: boolean; at: number }[] = [];
    const runtime = {
      // The engine answers a one-shot question only at its collector's next tick: 800 ms here.
      stats: (id: string, opts?: { now?: boolean }) => {
        asked.push({ id, now: opts?.now, at: Date.now() });
        const ms = opts?.now ? 800 : 1_600;
        return new Promise<ResourceUsage>((resolve) => setTimeout(() => resolve({ at: Date.now(), ...(opts?.now ? {} : { cpuPercent: 1 }), memoryBytes: 5 }), ms));
      },
    } as unknown as Backend;
    const sampler = new ResourceSampler(runtime).start();
    const t0 = Date.now();
    await vi.advanceTimersByTimeAsync(1_500);
    sampler.track('late', 'id-l');
    sampler.started('late');
    sampler.started('late'); // said twice, asked once
    sampler.started('unknown'); // not tracked: nothing to ask
    await vi.advanceTimersByTimeAsync(900); // the first reading is in; the tick's question (at 2 s) is not
    let stopped: Record<string, ResourceUsage[]> | undefined;
    void sampler.finish().samples().then((s) => (stopped = s));
    await vi.advanceTimersByTimeAsync(0);
    // Nothing was asked at finish(): the reading taken at the start is what it returns, at once.
    expect(stopped).toBeDefined();
    expect(stopped!.late).toEqual([{ at: t0 + 2_300, memoryBytes: 5 }]);
    expect(asked.filter((a) => a.now)).toEqual([{ id: 'id-l', now: true, at: t0 + 1_500 }]);
  });

  it('finish() awaits a first reading still on its way (200 ms at most) for a container with no other sample', async () => {
    vi.useFakeTimers();
    const runtime = {
      stats: (_id: string, opts?: { now?: boolean }) =>
        opts?.now ? new Promise<ResourceUsage>((resolve) => setTimeout(() => resolve({ at: Date.now(), memoryBytes: 9 }), 450)) : new Promise<ResourceUsage>(() => undefined),
    } as unknown as Backend;
    const sampler = new ResourceSampler(runtime).start();
    sampler.track('a', 'id-a');
    sampler.started('a');
    await vi.advanceTimersByTimeAsync(300);
    let stopped: Record<string, ResourceUsage[]> | undefined;
    void sampler.finish().samples().then((s) => (stopped = s));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBeUndefined();
    await vi.advanceTimersByTimeAsync(150);
    expect(stopped!.a).toEqual([{ at: expect.any(Number), memoryBytes: 9 }]);
  });

  it('finish(): only the container whose first reading is on its way is held, 200 ms at most; the samples follow it', async () => {
    vi.useFakeTimers();
    const runtime = {
      stats: (id: string, opts?: { now?: boolean }) => {
        if (!opts?.now) return new Promise<ResourceUsage>(() => undefined); // the ticks' questions: never answered
        // The late container's reading comes at the engine's next tick; the silent one's never.
        return id === 'id-late' ? new Promise<ResourceUsage>((resolve) => setTimeout(() => resolve({ at: Date.now(), memoryBytes: 9 }), 400)) : new Promise<ResourceUsage>(() => undefined);
      },
    } as unknown as Backend;
    const sampler = new ResourceSampler(runtime).start();
    sampler.track('late', 'id-late');
    sampler.track('silent', 'id-silent');
    sampler.started('late');
    sampler.started('silent');
    await vi.advanceTimersByTimeAsync(300);
    const end = sampler.finish();
    const settled = new Set<string>();
    for (const id of ['id-late', 'id-silent', 'id-unknown']) void end.heldFor(id).then(() => settled.add(id));
    let samples: Record<string, ResourceUsage[]> | undefined;
    void end.samples().then((s) => (samples = s));
    await vi.advanceTimersByTimeAsync(0);
    expect([...settled]).toEqual(['id-unknown']);
    await vi.advanceTimersByTimeAsync(150); // the late reading comes at 400 ms, 100 ms after finish()
    expect([...settled].sort()).toEqual(['id-late', 'id-unknown']);
    expect(samples).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100); // 200 ms after finish(): the silent one is no longer waited for
    expect([...settled].sort()).toEqual(['id-late', 'id-silent', 'id-unknown']);
    expect(samples).toEqual({ late: [{ at: expect.any(Number), memoryBytes: 9 }] });
  });

  it('metrics leave CPU out where no sample measured it', () => {
    const m = metricsDocument(report, results, { api: [{ at: 1, memoryBytes: 100 }] });
    expect(m.services.api!.usage).toEqual({ samples: 1, memoryBytes: { max: 100, mean: 100 } });
    expect(openMetrics(report, m)).not.toContain('envtest_service_cpu_percent_max{');
  });
});
