#!/usr/bin/env node
// `npm run bench`: envtest side by side with the compose CLI and with each stack's critical-path
// limit, on the example and on generated stacks; parallel runs; sidecar check throughput; peak RSS;
// teardown; `envtest forward` throughput. Figures, never assertions: the goals of issue 14 are
// printed with met / NOT MET, and timed tests assert none of them. How to read it: docs/performance.md.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { findComposeCli } from './bench/compose-peer.mjs';
import { forwardRow } from './bench/forward.mjs';
import { leftovers, sweep } from './bench/leftovers.mjs';
import { readOptions, selected, usage } from './bench/options.mjs';
import { readinessRow } from './bench/readiness-row.mjs';
import { parallelRound } from './bench/parallel.mjs';
import { running } from './bench/process.mjs';
import { example, root } from './bench/paths.mjs';
import { goals, printTables } from './bench/report.mjs';
import { settle } from './bench/settle.mjs';
import { stackRow } from './bench/stack-row.mjs';
import { writeStack } from './bench/stacks.mjs';
import { summary } from './bench/stats.mjs';
import { throughputRow } from './bench/throughput.mjs';
import { parallelSuiteOverrides, suitesForParallelRuns } from './bench/parallel-suites.mjs';

let options;
try {
  options = readOptions(process.argv.slice(2));
} catch (e) {
  console.error(`bench: ${e.message}\n${usage}`);
  process.exit(2);
}
if (options.help) {
  console.log(usage);
  process.exit(0);
}

const { rounds, quick } = options;
// --stack/--checks put another stack in the example's place (its row and the parallel runs).
const main = options.stack ? { file: resolve(options.stack), checks: resolve(options.checks) } : example;
const sizes = quick ? [5] : [5, 20, 50];
const parallelism = quick ? [1, 2] : [1, 5, 10, 20];
const PARALLEL_START_TIMEOUT = '5m';
const checkCount = quick ? 100 : 1000;
const forwardMb = quick ? 16 : 256;

const benchId = `bench-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
const tmp = mkdtempSync(join(tmpdir(), 'envtest-bench-'));
const artifacts = join(tmp, 'artifacts');
const log = (line) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const full = !quick && !options.only && !options.stack;
const out = options.out ? resolve(options.out) : full ? join(root, 'bench/results.json') : undefined;
let result;
/** Writes the JSON so far: after every row, so a long bench that is stopped keeps what it measured. */
function save(complete) {
  if (!out || !result) return out;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ ...result, complete }, null, 2)}\n`);
  return out;
}

// Interrupted: the envtest runs in progress are told to tear down, then whatever else carries the
// bench's labels is removed.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(signal, async () => {
    log(`${signal}: stopping the runs in progress and removing what the bench made`);
    // SIGTERM, not the same signal again: a second SIGINT would make envtest force its removal.
    for (const child of running) child.kill('SIGTERM');
    await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, 60_000))]);
    await sweep(benchId);
    rmSync(tmp, { recursive: true, force: true });
    if (result) Object.assign(result, { interrupted: signal, goals: goals(result.rows), leftovers: await leftovers(benchId) });
    save(false);
    process.exit(code);
  });
}

// The parallel rows check the stack without its latency bounds (unless --keep-latency) and with
// patient checks (each attempt 30 s, retried for 2 minutes, unless --keep-timeouts): twenty runs on
// two cores are about envtest bringing every stack up, checking and tearing it down; a p95 bound or
// a 2 s timeout met while nineteen other stacks start beside it says how loaded the machine is
// (docs/performance.md). And with a start timeout of 5 minutes: N starts sharing two cores take
// about N times one start.
const suiteOptions = { keepLatency: options.keepLatency, keepTimeouts: options.keepTimeouts };
const parallelStack = {
  ...main,
  checks: suitesForParallelRuns(main.checks, tmp, suiteOptions),
  extraArgs: ['--timeout', PARALLEL_START_TIMEOUT],
};
const parallelOverrides = [...parallelSuiteOverrides(suiteOptions), `--timeout ${PARALLEL_START_TIMEOUT}`];

const cli = await findComposeCli();
const plan = [
  { id: 'example', run: () => stackRow({ id: 'example', stack: main, rounds, tmp, benchId, artifacts, cli, warmUp: true, log }) },
  { id: 'readiness', run: () => readinessRow({ rounds, tmp, benchId, artifacts, log }) },
  ...['wide', 'deep'].flatMap((shape) => sizes.map((n) => ({
    id: `${shape}-${n}`,
    run: () => stackRow({ id: `${shape}-${n}`, stack: writeStack(tmp, shape, n), rounds, tmp, benchId, artifacts, log }),
  }))),
  ...parallelism.map((n) => ({
    id: `parallel-${n}`,
    run: async () => {
      const all = [];
      const quiet = [];
      for (let r = 1; r <= rounds; r++) {
        // Each round on a quiet machine: not on the tail of the round or row before it.
        const calm = await settle();
        quiet.push(calm);
        log(`parallel-${n} round ${r}: machine quiet after ${Math.round(calm.waitedMs / 1000)} s (${calm.runnable} runnable)`);
        const res = await parallelRound({ stack: parallelStack, n, runIdOf: (i) => `${benchId}-p${n}-r${r}-${i}`, artifacts });
        log(`parallel-${n} round ${r}: ${res.green}/${n} green in ${Math.round(res.wallMs)} ms`);
        all.push(res);
      }
      return {
        id: `parallel-${n}`,
        runs: n,
        overrides: parallelOverrides,
        settled: quiet,
        green: `${all.reduce((s, r) => s + r.green, 0)}/${n * rounds}`,
        allGreen: all.every((r) => r.green === n),
        wallMs: summary(all.map((r) => r.wallMs)),
        runsPerMinute: summary(all.map((r) => (n / r.wallMs) * 60_000)),
        peakRssMb: summary(all.map((r) => r.peakMb)),
        problems: all.flatMap((r) => r.failures),
        runIds: Array.from({ length: rounds }, (_, r) => Array.from({ length: n }, (_, i) => `${benchId}-p${n}-r${r + 1}-${i}`)).flat(),
      };
    },
  })),
  ...['tcp', 'http'].map((protocol) => ({
    id: `sidecar-${protocol}`,
    run: () => throughputRow({ protocol, count: checkCount, tmp, runId: `${benchId}-${protocol}`, artifacts }),
  })),
  {
    id: 'forward',
    run: async () => {
      const row = await forwardRow({ dir: tmp, runId: `${benchId}-fwd`, artifacts, mb: forwardMb, rounds });
      const problems = row.complete < row.transfers ? [`${row.transfers - row.complete} of ${row.transfers} transfers ended early`] : [];
      return { id: 'forward', ...row, problems, runIds: [`${benchId}-fwd`] };
    },
  },
];

const unknown = (options.only ?? []).filter((o) => !plan.some((p) => p.id === o || p.id.startsWith(`${o}-`)));
if (unknown.length) {
  console.error(`bench: --only ${unknown.join(',')}: no such row; rows are ${plan.map((p) => p.id).join(', ')}`);
  process.exit(2);
}

const machine = async () => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  kernel: release(),
  node: process.version,
  engine: (await execa('docker', ['version', '--format', '{{.Server.Version}}'], { reject: false })).stdout.trim(),
  composeCli: cli?.version ?? null,
  loadAvgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
});

result = { benchId, date: new Date().toISOString(), machine: await machine(), options: { rounds, quick, only: options.only ?? null, stack: main }, rows: [] };
if (!cli) log('no compose CLI (docker compose or docker-compose) answers: the example is compared with its limit only');
const started = performance.now();
try {
  for (const step of plan.filter((p) => selected(options, p.id))) {
    log(`${step.id}: starting`);
    const row = await step.run().catch((e) => ({ id: step.id, problems: [e.message], runIds: [] }));
    result.rows.push(row);
    save(false);
  }
} finally {
  result.machine.loadAvgAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  result.durationS = Math.round((performance.now() - started) / 1000);
  result.goals = goals(result.rows);
  // Backstop for an interrupted row: envtest's own teardown by run id, then look by label.
  const ids = result.rows.flatMap((r) => r.runIds ?? []);
  const runIds = ids.filter((id) => !id.startsWith('compose:'));
  if (runIds.length) await execa('node', [join(root, 'bin/envtest.js'), 'down', ...runIds], { reject: false });
  result.leftovers = await leftovers(benchId);
  rmSync(tmp, { recursive: true, force: true });
}

printTables(result);
// Reported above; then removed, so a failed bench does not leave its mess to others.
if (result.leftovers.found.length) await sweep(benchId);
if (out) console.log(`\nwritten: ${save(true)}`);
const failed = result.rows.some((r) => r.problems?.length) || result.leftovers.found.length > 0;
process.exit(failed ? 1 : 0);
