// Durations as users write them in compose files, suites and flags: `250ms`, `2s`, `1m30s`, `1h`.
// Compose uses Go's duration syntax (ns, us/µs, ms, s, m, h, combined as in `1h2m3.5s`), a superset of
// what suites need, so this one parser serves compose, suites and flags alike.

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 0.001, µs: 0.001, μs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
// Go accepts `1.5s`, `.5s` and `1.s`; the unit list is longest-first so `ms` is not read as `m`.
const COMPONENT = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
const BARE_NUMBER = /^\d+(\.\d+)?$/;

/** The longest wait a Node timer can hold (2^31-1 ms, about 596 hours); longer ones fire at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** Milliseconds, or undefined when the text is not a duration. A bare number is seconds. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text * 1000 : undefined;
  let rest = text.trim();
  if (BARE_NUMBER.test(rest)) return Number(rest) * 1000;
  if (rest === '') return undefined;
  let total = 0;
  while (rest.length > 0) {
    const m = COMPONENT.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

export interface DurationRules {
  /** Zero is refused (a timeout of 0 can never be met). */
  positive?: boolean;
  /** The shortest sensible value, in ms (a pause of 0 between retries would spin). */
  minMs?: number;
}

export const DURATION_HINT = 'a duration such as 500ms, 30s or 1m30s (units ns, us, ms, s, m, h; a bare number is seconds)';

/** Why `value` is not an acceptable duration, or undefined when it is. The caller names the value. */
export function durationProblem(value: string | number, rules: DurationRules = {}): string | undefined {
  const ms = parseDuration(value);
  if (ms === undefined) return `expected ${DURATION_HINT}`;
  if (ms > MAX_DURATION_MS) return `longer than envtest can wait; the longest is ${formatDuration(MAX_DURATION_MS)} (2^31-1 ms)`;
  if (rules.positive && ms === 0) return 'must be longer than 0';
  if (rules.minMs !== undefined && ms < rules.minMs) return `must be at least ${formatDuration(rules.minMs)}`;
  return undefined;
}

/** A short human form for messages: `250ms`, `30s`, `2m`, `1m30s`, `596h31m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) {
    const s = ms / 1000;
    return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
  }
  if (ms >= 3_600_000) {
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor((ms % 3_600_000) / 60_000);
    return m ? `${h}h${m}m` : `${h}h`;
  }
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${s}s` : `${m}m`;
}
