// The stack's critical-path limit: what no orchestrator can beat on this engine. Each service is
// created, started and waited for alone, one after the other in dependency order (its dependencies
// already up), through the engine API with nothing else running, so its time is its own:
//   own(s)  = create + start + time-to-ready
//   path(s) = own(s) + max(path(d) for d in depends_on(s))
//   limit   = max(path(s)) + the checks' own time (first check's start to last check's end)
// Ready means what envtest means, seen as soon as it is true: exited 0 for a one-shot job that
// something waits on, healthy for a health check (probed every 50 ms instead of its interval),
// accepting TCP connections on every declared port, else running.
import Docker from 'dockerode';
import { connect } from 'node:net';
import { execa } from 'execa';
import { envtestBin } from './paths.mjs';
import { checksSpanMs } from './envtest-run.mjs';
import { runChecksOn } from './checks-runner.mjs';
import { criticalPath, dependencyOrder, dependsOn } from './graph.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const HEALTH_PROBE_NS = 50e6;

/** The stack as envtest reads it (`envtest config --format json`): one loader for both tools. */
export async function loadModel(file) {
  const r = await execa('node', [envtestBin, 'config', '-f', file, '--format', 'json']);
  return JSON.parse(r.stdout);
}

function readinessOf(model, name, imageInfo) {
  const svc = model.services[name];
  const waitedToComplete = Object.values(model.services).some((other) => dependsOn(other)[name]?.condition === 'service_completed_successfully');
  if (waitedToComplete) return { kind: 'exit' };
  const hc = svc.healthcheck;
  if (hc && !hc.disable && hc.test && hc.test[0] !== 'NONE') return { kind: 'healthy' };
  if (svc['x-envtest']?.ready === 'running') return { kind: 'running' };
  const ports = new Set();
  for (const p of svc.expose ?? []) if (!String(p).endsWith('/udp')) ports.add(Number(String(p).split('/')[0].split('-')[0]));
  for (const p of svc.ports ?? []) if ((p.protocol ?? 'tcp') === 'tcp') ports.add(Number(p.target));
  for (const p of Object.keys(imageInfo.Config?.ExposedPorts ?? {})) if (p.endsWith('/tcp')) ports.add(Number(p.split('/')[0]));
  return ports.size ? { kind: 'ports', ports: [...ports].filter(Number.isFinite) } : { kind: 'running' };
}

const nanos = (duration) => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(duration ?? ''));
  if (!m) return undefined;
  return Number(m[1]) * { ms: 1e6, s: 1e9, m: 60e9 }[m[2] ?? 's'];
};

function createOptions(model, name, image, network, labels, scope) {
  const svc = model.services[name];
  const env = svc.environment ?? {};
  const hc = svc.healthcheck;
  return {
    name: `${scope}-${name}`,
    Image: image,
    Cmd: svc.command ?? undefined,
    Entrypoint: svc.entrypoint ?? undefined,
    Env: Array.isArray(env) ? env : Object.entries(env).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`),
    WorkingDir: svc.working_dir,
    User: svc.user,
    Labels: labels,
    Healthcheck: hc && !hc.disable && hc.test?.[0] !== 'NONE'
      ? { Test: hc.test, Interval: HEALTH_PROBE_NS, Timeout: nanos(hc.timeout) ?? 30e9, Retries: 100_000, StartPeriod: 0 }
      : undefined,
    HostConfig: { NetworkMode: network },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [name] } } },
  };
}

function accepts(host, port) {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 200 });
    const done = (ok) => { s.destroy(); resolve(ok); };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });
}

async function waitReady(container, readiness, network, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  if (readiness.kind === 'running') return;
  if (readiness.kind === 'exit') {
    const { StatusCode } = await container.wait();
    if (StatusCode !== 0) throw new Error(`critical path: ${container.id.slice(0, 12)} exited ${StatusCode}`);
    return;
  }
  const host = readiness.kind === 'ports' ? (await container.inspect()).NetworkSettings.Networks[network].IPAddress : undefined;
  const pending = new Set(readiness.ports ?? []);
  while (Date.now() < deadline) {
    if (readiness.kind === 'healthy') {
      const state = (await container.inspect()).State;
      if (state.Health?.Status === 'healthy') return;
      if (!state.Running) throw new Error(`critical path: ${container.id.slice(0, 12)} stopped before it was healthy`);
      await sleep(10);
    } else {
      for (const port of [...pending]) if (await accepts(host, port)) pending.delete(port);
      if (!pending.size) return;
      await sleep(10);
    }
  }
  throw new Error(`critical path: not ready after ${timeoutMs} ms (${readiness.kind})`);
}

/**
 * Measures the limit of one stack. Resolves { ms, pathMs, checksMs, serialMs, chain, services: { name: {
 * createMs, startMs, readyMs, ownMs, readiness } } }. Everything it creates is labelled
 * `envtest.bench=<benchId>` and `envtest.bench.scope=<scope>`, and removed before it resolves.
 */
export async function measureLimit({ model, jobPath, benchId, scope, timeoutMs = 120_000 }) {
  const docker = new Docker();
  const labels = { 'envtest.bench': benchId, 'envtest.bench.scope': scope };
  const network = `${scope}-net`;
  await docker.createNetwork({ Name: network, Labels: labels });
  const services = {};
  try {
    for (const name of dependencyOrder(model)) {
      const image = model.services[name].image ?? `${model.name}-${name}`;
      const readiness = readinessOf(model, name, await docker.getImage(image).inspect());
      const t0 = performance.now();
      const container = await docker.createContainer(createOptions(model, name, image, network, labels, scope));
      const t1 = performance.now();
      await container.start();
      const t2 = performance.now();
      await waitReady(container, readiness, network, timeoutMs);
      const t3 = performance.now();
      services[name] = { createMs: t1 - t0, startMs: t2 - t1, readyMs: t3 - t2, ownMs: t3 - t0, readiness: readiness.kind };
    }
    const checks = await runChecksOn([network], jobPath, labels);
    if (checks.failed) throw new Error(`critical path: checks failed on the serial stack: ${checks.failures.join('; ')}`);
    const checksMs = checksSpanMs(checks.results) ?? 0;
    const path = criticalPath(model, Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.ownMs])));
    // For reading a wide stack's ratio: what the engine did in all, one service after the other.
    const serialMs = Object.values(services).reduce((sum, x) => sum + x.ownMs, 0) + checksMs;
    return { ms: path.ms + checksMs, pathMs: path.ms, checksMs, serialMs, chain: path.chain, services };
  } finally {
    await removeScope(docker, scope, docker.getNetwork(network));
  }
}

/**
 * The limit's own cleanup, untimed, so gentle: twice today the engine (dockerd 20.10) kept a
 * limit's network after it, its endpoint count off by one with no endpoint left (dockerd's log said
 * "Fixing inconsistent endpoint_cnt" at its next start; moby/moby#42119). The containers go one at
 * a time, the network only once none is left (a runner's own removal included), patiently.
 */
async function removeScope(docker, scope, network) {
  const scoped = { all: true, filters: { label: [`envtest.bench.scope=${scope}`] } };
  for (const c of await docker.listContainers(scoped)) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {});
  for (let i = 0; i < 300 && (await docker.listContainers(scoped)).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  // Anything still there is named by the bench's last look for leftovers.
  await removeNetwork(network).catch(() => {});
}

/**
 * Right after removals the engine may keep an endpoint a while (removal answers "active endpoints"):
 * one try gave up at once. Patient as envtest's own teardown is (runtime/docker/docker-runtime.ts):
 * what is still listed is disconnected, then retried.
 */
export async function removeNetwork(network, { patienceMs = 15_000, pauseMs = 200 } = {}) {
  const until = Date.now() + patienceMs;
  for (;;) {
    try {
      return await network.remove();
    } catch (e) {
      if (e.statusCode === 404) return;
      if (!/active endpoints/i.test(e.message) || Date.now() > until) throw e;
    }
    const { Containers = {} } = await network.inspect().catch(() => ({}));
    await Promise.all(Object.keys(Containers).map((c) => network.disconnect({ Container: c, Force: true }).catch(() => {})));
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}
