#!/usr/bin/env node
// Prints a results.json as the markdown of docs/performance.md's "Last run" section, so the figures
// in the doc are copied from a run, never typed: node scripts/bench/markdown.mjs bench/results.json
import { readFileSync } from 'node:fs';
import { goals } from './report.mjs';

const result = JSON.parse(readFileSync(process.argv[2] ?? 'bench/results.json', 'utf8'));
const s = (x, unit = '') => (x ? `${x.median}${unit} (${x.min}–${x.max})` : '—');
const sec = (x) => (x ? `${(x.median / 1000).toFixed(1)} s (${(x.min / 1000).toFixed(1)}–${(x.max / 1000).toFixed(1)})` : '—');
const m = result.machine;
result.goals ??= goals(result.rows); // a run stopped before the end did not write them
const lines = [
  `${result.date.slice(0, 16).replace('T', ' ')} UTC, ${result.options.rounds} round(s)${result.complete ? '' : ' (stopped before the end)'}, ${result.durationS ? `${result.durationS} s in all` : 'no total time'}:`,
  `${m.cpus} cores (${m.cpuModel}), ${m.memoryGb} GB, Docker ${m.engine}, ${m.composeCli ?? 'no compose CLI'}, Node ${m.node};`,
  `load average ${m.loadAvgAtStart.join(' / ')} at the start and ${m.loadAvgAtEnd?.join(' / ') ?? '?'} at the end (1 / 5 / 15 min).`,
  '',
  '| row | envtest | compose | envtest/compose | limit | envtest/limit | one by one | teardown | peak RSS |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const r of result.rows.filter((x) => x.envtestMs !== undefined)) {
  lines.push(`| ${r.id} (${r.services}) | ${sec(r.envtestMs)} | ${sec(r.composeMs)} | ${r.envtestPerCompose ?? '—'} | ${sec(r.limitMs)} | ${r.envtestPerLimit ?? '—'} | ${sec(r.serialMs)} | ${s(r.teardownMs, ' ms')} | ${s(r.peakRssMb, ' MB')} |`);
}
const readiness = result.rows.find((x) => x.id === 'readiness');
if (readiness) {
  lines.push('', '| readiness seen after it happened | lag |', '| --- | --- |');
  for (const [kind, lag] of Object.entries(readiness.lagMs)) lines.push(`| ${kind} | ${s(lag, ' ms')} |`);
}
const parallel = result.rows.filter((x) => x.id.startsWith('parallel-'));
if (parallel.length) {
  lines.push('', '| parallel runs | green | wall time | runs/min |', '| --- | --- | --- | --- |');
  for (const r of parallel) lines.push(`| ${r.runs} | ${r.green} | ${sec(r.wallMs)} | ${s(r.runsPerMinute)} |`);
  const overrides = [...new Set(parallel.flatMap((r) => r.overrides ?? []))];
  if (overrides.length) lines.push('', `Parallel rows: ${overrides.join('; ')}.`);
}
const sidecar = result.rows.filter((x) => x.id.startsWith('sidecar-'));
if (sidecar.length) {
  lines.push('', '| sidecar throughput | checks | passed | checks/s |', '| --- | --- | --- | --- |');
  for (const r of sidecar) lines.push(`| ${r.protocol} | ${r.checks} | ${r.passed} | ${r.perSecond ?? '—'} |`);
}
const fwd = result.rows.find((x) => x.id === 'forward');
if (fwd?.mbPerS) lines.push('', `\`envtest forward\`: ${s(fwd.mbPerS, ' MB/s')} over ${fwd.mb} MB, first byte of a new connection ${s(fwd.firstByteMs, ' ms')}.`);
if (result.goals?.length) {
  lines.push('', '| goal | value | |', '| --- | --- | --- |');
  for (const g of result.goals) lines.push(`| ${g.goal} | ${g.value ?? '—'} | ${g.met} |`);
}
const example = result.rows.find((x) => x.id === 'example');
if (example?.readinessLagMs) lines.push('', `Readiness lag of the example, estimated (envtest's start-to-ready minus the limit's, separate runs), worst service: ${example.readinessLagMs.name}, ${s(example.readinessLagMs, ' ms')}.`);
// One line per row: a row with many failed runs says how many and the first one's reason.
const problems = result.rows.filter((r) => r.problems?.length).map((r) => `${r.id}: ${r.problems.length > 1 ? `${r.problems.length} problems, the first: ` : ''}${r.problems[0].split('\n')[0]}`);
if (problems.length) lines.push('', 'Problems in this run:', '', ...problems.map((p) => `- ${p}`));
lines.push('', `Left behind on the engine: ${!result.leftovers ? 'not recorded (the run was stopped)' : result.leftovers.found.length ? result.leftovers.found.join(', ') : 'nothing'}.`);
console.log(lines.join('\n'));
