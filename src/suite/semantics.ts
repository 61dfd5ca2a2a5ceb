// Rules that span keys, which a per-key schema cannot say: what `open: false` excludes, what
// latency needs, options that only make sense together. Runs on a check that passed its schema.
import type { ProtocolName } from '../model/suite.js';
import type { PathProblem } from './issues.js';
import type { KeyPath } from './interpolate.js';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const isSnapshotOn = (v: unknown) => v === true || isRecord(v);

export function checkSemantics(check: Record<string, unknown>, protocol: ProtocolName, base: KeyPath): PathProblem[] {
  const problems: PathProblem[] = [];
  const expect = isRecord(check.expect) ? check.expect : {};
  const at = (...rest: (string | number)[]) => [...base, ...rest];

  if (expect.open === false) {
    for (const key of Object.keys(expect).filter((k) => k !== 'open' && expect[k] !== undefined)) {
      problems.push({ path: at('expect', key), message: `cannot be combined with open: false (a closed port answers nothing)` });
    }
    if (check.samples) problems.push({ path: at('samples'), message: 'cannot be combined with open: false (nothing to measure)' });
    if (check.latency) problems.push({ path: at('latency'), message: 'cannot be combined with open: false (nothing to measure)' });
    if (isSnapshotOn(check.snapshot)) problems.push({ path: at('snapshot'), message: 'cannot be combined with open: false (a closed port answers nothing)' });
  } else if (check.latency && !check.samples) {
    problems.push({ path: at('latency'), message: 'needs samples: N, the number of requests to measure it over' });
  }
  if (isRecord(check.latency) && Object.keys(check.latency).length === 0) {
    problems.push({ path: at('latency'), message: 'needs at least one bound: p50, p95, p99 or max' });
  }

  if (protocol === 'tcp' && isSnapshotOn(check.snapshot)) {
    problems.push({ path: at('snapshot'), message: 'tcp has no answer to snapshot (it only connects); use expect.receive' });
  }

  const options = isRecord(check[protocol]) ? (check[protocol] as Record<string, unknown>) : {};
  if ((protocol === 'http' || protocol === 'grpc') && options.verify === true && options.tls !== true) {
    problems.push({ path: at(protocol, 'verify'), message: 'only applies with tls: true' });
  }
  if (protocol === 'http') {
    if (typeof options.method === 'string' && !/^[A-Za-z]+$/.test(options.method)) {
      problems.push({ path: at('http', 'method'), message: `expected an HTTP method like GET, got "${options.method}"` });
    }
    if (typeof options.path === 'string' && !options.path.startsWith('/')) {
      problems.push({ path: at('http', 'path'), message: `must start with "/", got "${options.path}"` });
    }
  }
  const { rows, rowCount } = expect;
  if ((protocol === 'postgres' || protocol === 'mysql') && Array.isArray(rows) && typeof rowCount === 'number') {
    if (rows.length > rowCount) {
      problems.push({ path: at('expect', 'rows'), message: `lists ${rows.length} rows but rowCount is ${rowCount}` });
    }
  }
  return problems;
}
