// Subset matching: every key the user wrote must be present and match; anything else in the
// actual value is ignored. Arrays match element by element from the start, and the actual array may
// be longer: "the first rows are these" is the common intent, and exact counts have rowCount.
import { show } from './text.js';

export interface SubsetOptions {
  /**
   * Compare scalars by their text, so `1` matches `"1"`. Databases and Redis hand back numbers as
   * strings (Postgres bigint/numeric, Redis integers over RESP2); JSON bodies stay strict.
   */
  looseScalars?: boolean;
}

function scalarEqual(expected: unknown, actual: unknown, loose: boolean): boolean {
  if (Object.is(expected, actual)) return true;
  if (!loose || expected === null || actual === null || expected === undefined || actual === undefined) return false;
  if (typeof expected === 'object' || typeof actual === 'object') return false;
  return String(expected) === String(actual);
}

/** The first mismatch as `<path>: expected X, got Y`, or undefined when `actual` contains `expected`. */
export function subsetMismatch(expected: unknown, actual: unknown, path = '$', opts: SubsetOptions = {}): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected a list, got ${show(actual)}`;
    if (actual.length < expected.length) {
      return `${path}: expected at least ${expected.length} item${expected.length === 1 ? '' : 's'}, got ${actual.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const m = subsetMismatch(expected[i], actual[i], `${path}[${i}]`, opts);
      if (m) return m;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${path}: expected an object, got ${show(actual)}`;
    }
    for (const [key, value] of Object.entries(expected)) {
      const child = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      if (!(key in actual)) return `${child}: expected ${show(value)}, got nothing`;
      const m = subsetMismatch(value, (actual as Record<string, unknown>)[key], child, opts);
      if (m) return m;
    }
    return undefined;
  }
  return scalarEqual(expected, actual, opts.looseScalars ?? false) ? undefined : `${path}: expected ${show(expected)}, got ${show(actual)}`;
}
