// Medians and spread of a row's rounds. Every figure in the table is one of these summaries.

/** { median, min, max, n } of the numbers given (null when there are none). */
export function summary(values) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!xs.length) return null;
  const mid = Math.floor(xs.length / 2);
  const median = xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { median: round(median), min: round(xs[0]), max: round(xs.at(-1)), n: xs.length };
}

/** The ratio of two summaries' medians, 2 decimals (null if either is missing). */
export function ratio(a, b) {
  if (!a || !b || !b.median) return null;
  return Math.round((a.median / b.median) * 100) / 100;
}

export function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
