// The benchmark's arithmetic: which chain is the critical path, in what order the limit starts
// services, how a compose file is handed to the compose CLI peer, readiness lags, medians and --only, how the limit lets go of its network. The figures
// themselves are never asserted anywhere (they live in `npm run bench`).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSuites } from '../../../src/library/suites.js';

type Model = { name?: string; services: Record<string, { depends_on?: string[] | Record<string, { condition: string }> }> };
const load = <T>(name: string) => import(new URL(`../../../scripts/bench/${name}`, import.meta.url).href) as Promise<T>;
const graph = await load<{
  criticalPath: (model: Model, own: Record<string, number>) => { ms: number; chain: string[] };
  dependencyOrder: (model: Model) => string[];
}>('graph.mjs');
const stats = await load<{ summary: (xs: number[]) => { median: number; min: number; max: number; n: number } | null; ratio: (a: unknown, b: unknown) => number | null }>('stats.mjs');
const options = await load<{ readOptions: (argv: string[]) => { rounds: number; quick: boolean; only?: string[]; keepLatency?: boolean }; selected: (o: { only?: string[] }, id: string) => boolean }>('options.mjs');
const readiness = await load<{
  writeReadinessStack: (dir: string) => { file: string; checks: string };
  lagsOf: (metrics: unknown, runDir: string) => Record<string, number>;
}>('readiness-row.mjs');
const suites = await load<{ suitesForParallelRuns: (checks: string, dir: string, o?: { keepLatency?: boolean; keepTimeouts?: boolean }) => string }>('parallel-suites.mjs');
const settling = await load<{ settle: (o: { maxMs?: number; windowMs?: number; cores?: number }) => Promise<{ waitedMs: number; runnable: number }> }>('settle.mjs');
const peer = await load<{ peerComposeFile: (file: string, project: string, dir: string) => string }>('compose-peer.mjs');

const shop: Model = {
  services: {
    db: {},
    cache: {},
    migrate: { depends_on: { db: { condition: 'service_healthy' } } },
    api: { depends_on: { migrate: { condition: 'service_completed_successfully' }, cache: { condition: 'service_healthy' } } },
    gateway: { depends_on: ['api'] },
  },
};

describe('critical path', () => {
  it('is the heaviest chain by the sum of own times, not the longest by count', () => {
    const own = { db: 900, cache: 2500, migrate: 400, api: 300, gateway: 100 };
    // db > migrate > api > gateway = 1700; cache > api > gateway = 2900
    expect(graph.criticalPath(shop, own)).toEqual({ ms: 2900, chain: ['cache', 'api', 'gateway'] });
    expect(graph.criticalPath(shop, { ...own, cache: 100 })).toEqual({ ms: 1700, chain: ['db', 'migrate', 'api', 'gateway'] });
  });

  it('of independent services is the slowest one alone', () => {
    const wide: Model = { services: { a: {}, b: {}, c: {} } };
    expect(graph.criticalPath(wide, { a: 5, b: 9, c: 7 })).toEqual({ ms: 9, chain: ['b'] });
  });

  it('starts every service after all it depends on', () => {
    const order = graph.dependencyOrder(shop);
    expect(order).toHaveLength(5);
    for (const [name, svc] of Object.entries(shop.services)) {
      const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
      for (const dep of deps) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(name));
    }
  });
});

describe('compose CLI peer file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-peer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drops the top-level name, runs envtest\'s built images and publishes nothing', () => {
    const file = join(dir, 'compose.yaml');
    writeFileSync(file, [
      'name: shop',
      'x-h: &h { interval: 1s }',
      'services:',
      '  api: { build: ./api, ports: ["8080:80", "127.0.0.1:9000:9001/udp"], healthcheck: { <<: *h, test: [CMD, "true"] } }',
      '  web: { image: nginx, build: { context: ./web }, expose: ["81"], ports: [{ target: 82 }] }',
      '',
    ].join('\n'));
    const out = parse(readFileSync(peer.peerComposeFile(file, 'shop', dir), 'utf8'));
    expect(out.name).toBeUndefined();
    expect(out.services.api).toMatchObject({ image: 'shop-api', build: { context: join(dir, 'api') }, expose: ['80', '9001/udp'], healthcheck: { interval: '1s' } });
    expect(out.services.api.ports).toBeUndefined();
    expect(out.services.web).toMatchObject({ image: 'nginx', build: { context: join(dir, 'web') }, expose: ['81', '82'] });
  });
});

describe('figures and options', () => {
  it('summarizes rounds as median and spread', () => {
    expect(stats.summary([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, n: 3 });
    expect(stats.summary([10, 20])).toEqual({ median: 15, min: 10, max: 20, n: 2 });
    expect(stats.summary([])).toBeNull();
    expect(stats.ratio(stats.summary([3]), stats.summary([10]))).toBe(0.3);
    expect(stats.ratio(null, stats.summary([10]))).toBeNull();
  });

  it('selects a row by its id or its group, and refuses a bad round count', () => {
    const only = options.readOptions(['--only', 'wide,parallel-5']);
    expect(['wide-5', 'wide-50', 'parallel-5'].every((id) => options.selected(only, id))).toBe(true);
    expect(['deep-5', 'parallel-10', 'example'].some((id) => options.selected(only, id))).toBe(false);
    expect(options.readOptions(['--quick']).rounds).toBe(1);
    expect(options.readOptions([]).rounds).toBe(3);
    expect(() => options.readOptions(['--rounds', '0'])).toThrow(/--rounds/);
    expect(options.readOptions([]).keepLatency).toBe(false);
    expect(options.readOptions(['--keep-latency']).keepLatency).toBe(true);
  });
});

describe('readiness lag', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-readiness-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('one service per kind of readiness, each saying when it became ready', () => {
    const { file } = readiness.writeReadinessStack(dir);
    const stack = parse(readFileSync(file, 'utf8')) as { services: Record<string, { command: string[]; healthcheck?: unknown; expose?: string[] }> };
    expect(Object.keys(stack.services).sort()).toEqual(['completed', 'healthy', 'listening']);
    for (const s of Object.values(stack.services)) expect(s.command.join(' ')).toContain('echo "ready-at $(date +%s%N)"');
    expect(stack.services.healthy!.healthcheck).toBeDefined();
    expect(stack.services.listening!.expose).toEqual(['8080']);
  });

  it('is envtest\'s ready time (origin + readyMs) minus the moment the service logged, per kind', () => {
    const run = join(dir, 'run');
    mkdirSync(join(run, 'logs'), { recursive: true });
    const log = (service: string, lines: string[]) => writeFileSync(join(run, 'logs', `${service}.ndjson`), lines.map((line) => JSON.stringify({ service, line })).join('\n'));
    log('healthy', ['starting', `ready-at ${1_000_002_000n * 1_000_000n + 500_000n}`]);
    log('listening', [`ready-at ${1_000_003_000n * 1_000_000n}`]);
    log('completed', ['no moment said']);
    const metrics = {
      timeline: {
        origin: 1_000_000_000,
        services: [
          { name: 'healthy', readyMs: 2_040 },
          { name: 'listening', readyMs: 3_075 },
          { name: 'completed', readyMs: 900 },
          { name: 'other', readyMs: 10 },
        ],
      },
    };
    expect(readiness.lagsOf(metrics, run)).toEqual({ healthy: 39.5, listening: 75 });
  });
});

describe('parallel rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-suites-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('start on a quiet machine: at once when it is, after the longest wait when it never is', async () => {
    const quiet = await settling.settle({ windowMs: 200, cores: 10_000 });
    expect(quiet.waitedMs).toBeLessThan(2_000);
    expect(quiet.runnable).toBeGreaterThanOrEqual(1); // this process, at least
    const busy = await settling.settle({ windowMs: 200, cores: 0, maxMs: 500 });
    expect(busy.waitedMs).toBeGreaterThanOrEqual(500);
  });

  it('check the example\'s suites without their latency bounds and with patient checks, everything else as it is', async () => {
    const example = fileURLToPath(new URL('../../../compose/checks', import.meta.url));
    const out = suites.suitesForParallelRuns(example, dir);
    type Suite = { defaults: Record<string, unknown>; checks: Record<string, unknown>[] };
    const original = parse(readFileSync(join(example, 'shop.yaml'), 'utf8')) as Suite;
    const copy = parse(readFileSync(join(out, 'shop.yaml'), 'utf8')) as Suite;
    expect(original.checks.some((c) => c.latency)).toBe(true);
    expect(copy.checks.some((c) => c.latency)).toBe(false);
    expect(copy.checks).toEqual(original.checks.map(({ latency: _, ...rest }) => rest));
    expect(copy.defaults).toEqual({ ...original.defaults, timeout: '30s', retry: { ...(original.defaults.retry as object), for: '2m' } });
    // What envtest loads from it: the raised figures, in every check.
    const [loaded] = await loadSuites([out]);
    expect(loaded!.checks.every((c) => c.timeoutMs === 30_000 && c.retry.forMs === 120_000)).toBe(true);
    // Either part can be kept as written.
    const kept = parse(readFileSync(join(suites.suitesForParallelRuns(example, join(dir, 'kept'), { keepTimeouts: true }), 'shop.yaml'), 'utf8')) as Suite;
    expect(kept.defaults).toEqual(original.defaults);
    expect(suites.suitesForParallelRuns(example, dir, { keepLatency: true, keepTimeouts: true })).toBe(example);
  });
});

describe('limit cleanup', () => {
  it('remove the limit\'s network patiently: an endpoint the engine keeps a while, then what it still lists, disconnected', async () => {
    const { removeNetwork } = await load<{ removeNetwork: (n: unknown, o?: { patienceMs?: number; pauseMs?: number }) => Promise<void> }>('critical-path.mjs');
    const calls: string[] = [];
    const inUse = () => Object.assign(new Error('(HTTP code 403) unexpected - error while removing network: network x has active endpoints'), { statusCode: 403 });
    let refusals = 2;
    const network = {
      remove: async () => {
        calls.push('remove');
        if (refusals-- > 0) throw inUse();
      },
      inspect: async () => ({ Containers: refusals === 1 ? { c1: {} } : {} }),
      disconnect: async (o: { Container: string; Force: boolean }) => void calls.push(`disconnect ${o.Container} ${o.Force}`),
    };
    await removeNetwork(network, { pauseMs: 1 });
    expect(calls).toEqual(['remove', 'disconnect c1 true', 'remove', 'remove']);
    // Gone already is done; an endpoint kept past the patience is an error the caller reports.
    await removeNetwork({ remove: async () => Promise.reject(Object.assign(new Error('no such network'), { statusCode: 404 })) });
    const stuck = { remove: async () => Promise.reject(inUse()), inspect: async () => ({}), disconnect: async () => undefined };
    await expect(removeNetwork(stuck, { patienceMs: 20, pauseMs: 5 })).rejects.toThrow(/active endpoints/);
  });
});
