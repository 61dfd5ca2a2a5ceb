// The stack's suites with their latency bounds left out, for the parallel rows: twenty runs on two
// cores measure whether envtest brings every stack up, checks it and tears it down, not whether a
// server answers within its p95 while nineteen others start beside it (docs/performance.md).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';

/** Writes the suites at `checks` (a file or a folder of them) without `latency` into `dir`; returns that folder. */
export function withoutLatency(checks, dir) {
  const files = statSync(checks).isDirectory()
    ? readdirSync(checks).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(checks, f))
    : [checks];
  const out = join(dir, 'suites-without-latency');
  mkdirSync(out, { recursive: true });
  for (const file of files) {
    const suite = parse(readFileSync(file, 'utf8'));
    for (const check of suite?.checks ?? []) delete check.latency;
    writeFileSync(join(out, basename(file)), stringify(suite));
  }
  return out;
}
