// The tables printed at the end, and the goals of issue 14 with whether this run met them.

const fmt = (s, unit = '') => (s ? `${s.median}${unit} (${s.min}–${s.max})` : '—');
const num = (x) => (x === null || x === undefined ? '—' : x);

/** Goals from the issue, each checked against this run's figures; absent when its row did not run. */
export function goals(rows) {
  const example = rows.find((r) => r.id === 'example');
  const p20 = rows.find((r) => r.id === 'parallel-20');
  const readiness = rows.find((r) => r.id === 'readiness');
  const big = rows.filter((r) => r.id === 'wide-50' || r.id === 'deep-50');
  const out = [];
  const add = (goal, value, met) => out.push({ goal, value, met: value === null || value === undefined ? 'not measured' : met ? 'met' : 'NOT MET' });
  if (example) {
    if (example.envtestPerCompose !== undefined) add('example: envtest / compose ≤ 0.3', example.envtestPerCompose, example.envtestPerCompose <= 0.3);
    add('example: envtest / critical-path limit ≤ 1.3', example.envtestPerLimit, example.envtestPerLimit <= 1.3);
    add('example: teardown ≤ 0.5 s (ms)', example.teardownMs?.median, example.teardownMs?.median <= 500);
  }
  // Measured where the moment readiness happens is known (the readiness row); the example's estimate
  // (envtest's start-to-ready minus the limit's, from separate runs) is printed beside it, not judged.
  if (readiness) add('readiness seen ≤ 100 ms after it happens (worst kind, ms)', readiness.worstLagMs?.median, readiness.worstLagMs?.median <= 100);
  if (p20) add('20 parallel runs of the example: all green', p20.green, p20.allGreen);
  if (big.length) {
    const peak = Math.max(...big.map((r) => r.peakRssMb?.max ?? NaN));
    add('peak RSS of envtest, 50 services ≤ 120 MB', Number.isFinite(peak) ? peak : null, peak <= 120);
  }
  return out;
}

export function printTables(result) {
  const { rows } = result;
  const stacks = rows.filter((r) => r.envtestMs !== undefined);
  if (stacks.length) {
    console.log(`\nStacks: wall time of one run in ms, median (min–max) of ${result.options.rounds} round(s)`);
    console.table(Object.fromEntries(stacks.map((r) => [r.id, {
      services: r.services,
      green: r.green,
      envtest: fmt(r.envtestMs),
      ...(r.composeMs !== undefined ? { compose: fmt(r.composeMs), 'envtest/compose': num(r.envtestPerCompose) } : {}),
      'critical-path limit': fmt(r.limitMs),
      'envtest/limit': num(r.envtestPerLimit),
      'one by one': fmt(r.serialMs),
      'teardown ms': fmt(r.teardownMs),
      'peak RSS MB': fmt(r.peakRssMb),
    }])));
  }
  const parallel = rows.filter((r) => r.id.startsWith('parallel-'));
  if (parallel.length) {
    console.log('\nParallel runs of the example: wall time from the first start to the last exit');
    console.table(Object.fromEntries(parallel.map((r) => [r.id, { runs: r.runs, green: r.green, 'wall ms': fmt(r.wallMs), 'runs/min': fmt(r.runsPerMinute) }])));
    const overrides = [...new Set(parallel.flatMap((r) => r.overrides ?? []))];
    if (overrides.length) console.log(`(${overrides.join('; ')}: --keep-latency and --keep-timeouts check the suites as written)`);
  }
  const readiness = rows.find((r) => r.id === 'readiness');
  if (readiness) {
    console.log('\nReadiness: from the moment a service became ready (its own clock) to envtest seeing it, ms');
    console.table(Object.fromEntries(Object.entries(readiness.lagMs).map(([kind, s]) => [kind, { lag: fmt(s) }])));
  }
  const sidecar = rows.filter((r) => r.id.startsWith('sidecar-'));
  if (sidecar.length) {
    console.log('\nSidecar check throughput: one run, first check start to last check end');
    console.table(Object.fromEntries(sidecar.map((r) => [r.id, { checks: r.checks, passed: r.passed, 'span ms': num(r.spanMs), 'checks/s': num(r.perSecond), 'whole run ms': r.runMs }])));
  }
  const forward = rows.find((r) => r.id === 'forward');
  if (forward) {
    console.log(`\nenvtest forward: ${forward.transfers} transfers of ${forward.mb} MB over one relayed connection`);
    console.table({ forward: { 'MB/s': fmt(forward.mbPerS), 'first byte ms': fmt(forward.firstByteMs), complete: `${forward.complete}/${forward.transfers}` } });
  }
  if (result.goals.length) {
    console.log('\nGoals (issue 14)');
    console.table(result.goals);
  }
  const problems = rows.flatMap((r) => (r.problems ?? []).map((p) => `${r.id}: ${p}`));
  if (problems.length) console.log(`\nProblems:\n${problems.map((p) => `- ${p.split('\n')[0]}`).join('\n')}`);
  console.log(`\nLeft behind on the engine (docker CLI, ${result.leftovers.checked.join(", ")}, this bench's ids): ${result.leftovers.found.length ? result.leftovers.found.join(', ') : 'nothing'}`);
}
