// Waits for the machine to be quiet before a row that loads it (the parallel runs): the tail of the
// row before, or anything else running on a shared machine, would otherwise be measured with it.
// Quiet: on average no more runnable tasks than cores over a few seconds (/proc/stat's
// procs_running, which, unlike the load average, does not remember the last minute).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

function runnable() {
  try {
    return Number(/^procs_running (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
  } catch {
    return NaN; // not Linux: nothing to wait for
  }
}

/** The mean number of runnable tasks over `ms`, sampled every 100 ms (NaN where /proc/stat is missing). */
async function meanRunnable(ms) {
  const xs = [];
  for (let t = 0; t < ms; t += 100) {
    xs.push(runnable());
    await sleep(100);
  }
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * Resolves once the machine is quiet, or after `maxMs`, with what it saw: { waitedMs, runnable }
 * (the last mean; the process measuring counts as one).
 */
export async function settle({ maxMs = 180_000, windowMs = 3_000, cores = cpus().length } = {}) {
  const started = Date.now();
  for (;;) {
    const mean = await meanRunnable(windowMs);
    if (!(mean > cores) || Date.now() - started >= maxMs) return { waitedMs: Date.now() - started, runnable: Math.round(mean * 10) / 10 };
  }
}
