// The stack's suites as the parallel rows check them: twenty runs on two cores measure whether
// envtest brings every stack up, checks it and tears it down, not whether a server answers within
// its p95, or within a 2 s timeout, while nineteen other stacks start beside it (docs/performance.md).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';

/** How long one attempt may take, and for how long a check is retried, in the parallel rows. */
export const PARALLEL_CHECK_TIMEOUT = '30s';
export const PARALLEL_RETRY_FOR = '2m';

/**
 * Writes the suites at `checks` (a file or a folder of them) into `dir` without `latency` bounds
 * (unless keepLatency), and with every check's timeout and retry window raised to the ones above
 * (unless keepTimeouts); returns that folder, or `checks` when both are kept.
 */
export function suitesForParallelRuns(checks, dir, { keepLatency = false, keepTimeouts = false } = {}) {
  if (keepLatency && keepTimeouts) return checks;
  const files = statSync(checks).isDirectory()
    ? readdirSync(checks).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(checks, f))
    : [checks];
  const out = join(dir, 'suites-for-parallel-runs');
  mkdirSync(out, { recursive: true });
  for (const file of files) {
    const suite = parse(readFileSync(file, 'utf8'));
    if (!keepTimeouts && suite) {
      suite.defaults = { ...suite.defaults, timeout: PARALLEL_CHECK_TIMEOUT, retry: { ...suite.defaults?.retry, for: PARALLEL_RETRY_FOR } };
    }
    for (const check of suite?.checks ?? []) {
      if (!keepLatency) delete check.latency;
      if (!keepTimeouts) {
        // The raised defaults apply: a check's own, shorter ones would not be raised.
        delete check.timeout;
        if (check.retry) delete check.retry.for;
      }
    }
    writeFileSync(join(out, basename(file)), stringify(suite));
  }
  return out;
}

/** What the parallel rows change, for the table and the JSON. */
export function parallelSuiteOverrides({ keepLatency = false, keepTimeouts = false } = {}) {
  return [
    ...(keepLatency ? [] : ['latency bounds left out of the suites']),
    ...(keepTimeouts ? [] : [`each check's timeout ${PARALLEL_CHECK_TIMEOUT}, retried for ${PARALLEL_RETRY_FOR}`]),
  ];
}
