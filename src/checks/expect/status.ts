// HTTP status expectations. No list means "it answered sensibly": 2xx or 3xx, as health probes do.

export function statusMismatch(expected: number[] | undefined, actual: number): string | undefined {
  const ok = expected ? expected.includes(actual) : actual >= 200 && actual < 400;
  if (ok) return undefined;
  const want = expected ? expected.join(' or ') : '2xx or 3xx';
  return `expected status ${want}, got ${actual}`;
}
