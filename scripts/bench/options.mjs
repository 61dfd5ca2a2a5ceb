// Command-line options of `npm run bench -- ...`.
import { parseArgs } from 'node:util';

export const usage = `usage: node scripts/bench.mjs [--rounds N] [--quick] [--only ROW[,ROW...]] [--out FILE]
  --rounds N   rounds per row (default 3; --quick: 1)
  --quick      a smoke run: 5-service stacks, 1 and 2 parallel runs, 100 checks, 16 MB forwarded
  --only ROWS  rows or groups to run: example, readiness, wide, deep, wide-20, parallel, parallel-5, sidecar, forward
  --out FILE   where to write the JSON (default bench/results.json, for a full run only)
  --stack FILE --checks PATH   another compose file and its suites in the example's place
  --keep-latency  parallel rows check the latency bounds too (left out by default: see docs/performance.md)
  --keep-timeouts parallel rows keep each check's own timeout and retry window (raised by default: see docs/performance.md)`;

export function readOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
      stack: { type: 'string' },
      checks: { type: 'string' },
      'keep-latency': { type: 'boolean', default: false },
      'keep-timeouts': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  const rounds = values.rounds === undefined ? (values.quick ? 1 : 3) : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number of 1 or more, not ${values.rounds}`);
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  if (Boolean(values.stack) !== Boolean(values.checks)) throw new Error('--stack and --checks go together: a compose file and the suites to check it with');
  return { rounds, quick: values.quick, only, out: values.out, stack: values.stack, checks: values.checks, keepLatency: values['keep-latency'], keepTimeouts: values['keep-timeouts'] };
}

/** Whether a row (e.g. `wide-20`) is selected by --only (`wide-20`, or its group `wide`). */
export function selected(options, rowId) {
  return !options.only || options.only.some((o) => rowId === o || rowId.startsWith(`${o}-`));
}
