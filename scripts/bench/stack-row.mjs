// One stack, side by side: `envtest run`, the compose CLI peer (when asked) and the critical-path
// limit, round by round, the tools' order alternating each round so neither always runs on a
// warmer (or busier) engine.
import { composeRound, peerComposeFile } from './compose-peer.mjs';
import { measureLimit, loadModel } from './critical-path.mjs';
import { writeJob } from './checks-runner.mjs';
import { envtestRun } from './envtest-run.mjs';
import { dirname } from 'node:path';
import { ratio, summary } from './stats.mjs';
import { settle } from './settle.mjs';

const SETTLE_WINDOW_MS = 1_000;
const SETTLE_MAX_MS = 20_000;

const shortChain = (chain) => (chain.length > 5 ? [...chain.slice(0, 2), `… (${chain.length})`, ...chain.slice(-2)] : chain).join(' > ');

/** How long after the limit's own start-to-ready envtest saw each service ready: each service's summary, worst first. */
function readinessLags(envtestRounds, limitRounds) {
  const lags = {};
  envtestRounds.forEach((run, i) => {
    const limit = limitRounds[i];
    for (const s of run.metrics?.timeline?.services ?? []) {
      const own = limit?.services?.[s.name];
      if (!own || s.readyMs === undefined || s.startedMs === undefined) continue;
      (lags[s.name] ??= []).push(s.readyMs - s.startedMs - own.readyMs);
    }
  });
  return Object.entries(lags)
    .map(([name, xs]) => ({ name, ...summary(xs) }))
    .sort((a, b) => b.median - a.median);
}

/**
 * Resolves the row: envtest, peer and limit summaries (ms), their ratios, envtest's teardown and
 * peak RSS, and each round's detail. A round that fails is recorded with its output and fails the row.
 */
export async function stackRow({ id, stack, rounds, tmp, benchId, artifacts, cli, warmUp, log }) {
  const model = await loadModel(stack.file);
  const jobPath = await writeJob(stack.checks, tmp);
  const peerFile = cli ? peerComposeFile(stack.file, model.name, tmp) : undefined;
  const runId = (tag) => `${benchId}-${id}-${tag}`;
  const made = [];
  if (warmUp) {
    // Untimed: builds the images both tools then run, and warms the engine's caches.
    made.push(runId('warm'));
    const warm = await envtestRun({ ...stack, runId: runId('warm'), artifacts });
    if (!warm.ok) throw new Error(`${id}: the warm-up run failed (exit ${warm.exitCode}):\n${warm.output.slice(-2000)}`);
  }
  const envtest = [];
  const peer = [];
  const limit = [];
  const problems = [];
  const steps = {
    envtest: async (r) => {
      made.push(runId(`r${r}`));
      const run = await envtestRun({ ...stack, runId: runId(`r${r}`), artifacts });
      if (!run.ok) problems.push(`round ${r}: envtest run exited ${run.exitCode}: ${run.output.slice(-1500)}`);
      envtest.push(run);
      log(`${id} round ${r}: envtest ${Math.round(run.ms)} ms${run.ok ? '' : ' (FAILED)'}`);
    },
    compose: async (r) => {
      const project = `${benchId}${id}r${r}`.replace(/[^a-z0-9]/g, '');
      made.push(`compose:${project}`);
      const labels = { 'envtest.bench': benchId };
      const res = await composeRound({ cli, peerFile, projectDir: dirname(stack.file), project, jobPath, labels }).catch((e) => ({ ok: false, error: e.message }));
      if (!res.ok) problems.push(`round ${r}: compose peer: ${res.error ?? res.checks?.failures.join('; ')}`);
      peer.push(res);
      log(`${id} round ${r}: ${cli.version} ${Math.round(res.ms ?? NaN)} ms${res.ok ? '' : ' (FAILED)'}`);
    },
    limit: async (r) => {
      const res = await measureLimit({ model, jobPath, benchId, scope: runId(`limit${r}`) }).catch((e) => ({ error: e.message }));
      if (res.error) problems.push(`round ${r}: critical-path limit: ${res.error}`);
      limit.push(res);
      log(`${id} round ${r}: limit ${Math.round(res.ms ?? NaN)} ms (${res.chain ? shortChain(res.chain) : 'failed'})`);
    },
  };
  const tools = cli ? ['envtest', 'compose', 'limit'] : ['envtest', 'limit'];
  for (let r = 1; r <= rounds; r++) {
    for (const tool of r % 2 ? tools : [...tools].reverse()) {
      // The step before ends with a teardown whose tail (the kernel freeing network namespaces, the
      // engine deleting layers) goes on after it returns: measured with the next tool (an envtest run
      // right after the compose peer's `down -v` took 5.5 s, the round before 3.8 s, 2026-11-30).
      // Each timed step, whichever tool, starts on a quiet machine.
      const calm = await settle({ maxMs: SETTLE_MAX_MS, windowMs: SETTLE_WINDOW_MS });
      if (calm.waitedMs >= SETTLE_MAX_MS) log(`${id} round ${r}: ${tool} starts on a busy machine (${calm.runnable} runnable tasks after ${SETTLE_MAX_MS / 1000} s)`);
      await steps[tool](r);
    }
  }
  const e = summary(envtest.filter((x) => x.ok).map((x) => x.ms));
  const p = cli ? summary(peer.filter((x) => x.ok).map((x) => x.ms)) : undefined;
  const l = summary(limit.filter((x) => !x.error).map((x) => x.ms));
  const lastLimit = limit.filter((x) => !x.error).at(-1);
  return {
    id,
    services: Object.keys(model.services).length,
    rounds,
    green: `${envtest.filter((x) => x.ok).length}/${rounds}`,
    envtestMs: e,
    ...(cli ? { composeMs: p, composeCli: cli.version, envtestPerCompose: ratio(e, p) } : {}),
    limitMs: l,
    envtestPerLimit: ratio(e, l),
    limitChain: lastLimit?.chain,
    limitChecksMs: summary(limit.filter((x) => !x.error).map((x) => x.checksMs)),
    serialMs: summary(limit.filter((x) => !x.error).map((x) => x.serialMs)),
    teardownMs: summary(envtest.map((x) => x.report?.teardown?.ms)),
    peakRssMb: summary(envtest.map((x) => x.peakMb)),
    readinessLagMs: readinessLags(envtest, limit)[0],
    readinessLagByServiceMs: readinessLags(envtest, limit),
    perService: lastLimit?.services,
    problems,
    runIds: made,
  };
}
