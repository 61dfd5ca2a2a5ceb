// One suite file's text to a Suite, or every problem in it. Pure (no file system) so messages
// can be pinned in tests. Order: YAML syntax, interpolation, the header, then each check against
// the schema of the protocol it names, so a mistake in one check never hides those in another.
import type { Problem } from '../errors.js';
import { PROTOCOLS, type Check, type ProtocolName, type Suite } from '../model/suite.js';
import { suggestion } from '../text/did-you-mean.js';
import { parseYaml, yamlData } from '../yaml/read.js';
import { interpolate, type Env, type KeyPath } from './interpolate.js';
import { issueProblems, type PathProblem } from './issues.js';
import { locator } from './locate.js';
import { resolveCheck, resolveDefaults } from './resolve.js';
import { checkSchemas, suiteHeaderSchema, type AuthoredCommon } from './schema.js';
import { checkSemantics } from './semantics.js';

const COMMON_KEYS = ['name', 'target', 'timeout', 'retry', 'samples', 'latency', 'snapshot', 'expect'];

export interface SuiteValidation {
  suite?: Suite;
  problems: Problem[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `checks[2] "gateway health" expect.status`: the check by index and name, then the key path. */
export function formatKeyPath(path: KeyPath, checkName: (index: number) => string | undefined): string {
  let out = '';
  path.forEach((seg, i) => {
    if (typeof seg === 'number') {
      out += `[${seg}]`;
      const name = i === 1 && path[0] === 'checks' ? checkName(seg) : undefined;
      if (name) out += ` "${name}"`;
    } else {
      out += out === '' ? seg : i === 2 && path[0] === 'checks' ? ` ${seg}` : `.${seg}`;
    }
  });
  return out;
}

function protocolProblem(check: Record<string, unknown>, found: ProtocolName[], base: KeyPath): PathProblem | undefined {
  if (found.length > 1) {
    return { path: base, message: `has ${found.length} protocol keys (${found.join(', ')}); a check uses exactly one` };
  }
  if (found.length === 1) return undefined;
  const strangers = Object.keys(check).filter((k) => !COMMON_KEYS.includes(k));
  if (strangers.length === 1) {
    const key = strangers[0]!;
    return { path: base, key, message: `unknown protocol "${key}"${suggestion(key, PROTOCOLS)}; supported: ${PROTOCOLS.join(', ')}` };
  }
  return { path: base, message: `needs a protocol key, one of: ${PROTOCOLS.join(', ')}` };
}

export function validateSuite(text: string, file: string, env: Env = {}): SuiteValidation {
  const parsed = parseYaml(text, file, 'suite');
  if (!parsed.ok) return { problems: parsed.problems };
  const { docs, lines } = parsed.value;
  const doc = docs[0]!;
  const read = yamlData(doc, file);
  if (!read.ok) return { problems: read.problems };
  const where = locator(doc, lines);
  const { value: data, problems: interpolationProblems } = interpolate(read.value, env);
  const pathProblems: PathProblem[] = [...interpolationProblems];

  if (!isRecord(data)) {
    return { problems: [{ file, line: 1, message: 'expected a mapping with a `checks` list' }] };
  }
  const header = suiteHeaderSchema.safeParse(data, { reportInput: true });
  if (!header.success) pathProblems.push(...issueProblems(header.error.issues, suiteHeaderSchema, []));

  const rawChecks = Array.isArray(data.checks) ? data.checks : [];
  const parsedChecks: { check: AuthoredCommon & Record<string, unknown>; protocol: ProtocolName }[] = [];
  rawChecks.forEach((raw, i) => {
    const base: KeyPath = ['checks', i];
    if (!isRecord(raw)) {
      pathProblems.push({ path: base, message: `expected a mapping, got ${raw === null ? 'null' : typeof raw}` });
      return;
    }
    const found = PROTOCOLS.filter((p) => p in raw);
    const bad = protocolProblem(raw, found, base);
    if (bad) {
      pathProblems.push(bad);
      return;
    }
    const protocol = found[0]!;
    const schema = checkSchemas[protocol];
    const parsed = schema.safeParse(raw, { reportInput: true });
    // Cross-key rules run on the raw check too, so they are reported alongside schema problems.
    const semantic = checkSemantics(raw, protocol, base);
    pathProblems.push(...semantic);
    if (!parsed.success) pathProblems.push(...issueProblems(parsed.error.issues, schema, base));
    else if (semantic.length === 0) parsedChecks.push({ check: parsed.data as AuthoredCommon & Record<string, unknown>, protocol });
  });

  const seen = new Map<string, number>();
  rawChecks.forEach((raw, i) => {
    const name = isRecord(raw) && typeof raw.name === 'string' ? raw.name : undefined;
    if (name === undefined) return;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, i);
    else pathProblems.push({ path: ['checks', i, 'name'], message: `duplicate check name "${name}" (also checks[${first}])` });
  });

  const checkName = (i: number) => {
    const raw = rawChecks[i];
    return isRecord(raw) && typeof raw.name === 'string' ? raw.name : undefined;
  };
  const problems: Problem[] = pathProblems
    .map((p) => ({
      file,
      line: where.line(p.path, p.key),
      path: formatKeyPath(p.path, checkName) || undefined,
      message: p.message,
    }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (problems.length > 0 || !header.success) return { problems };

  const defaults = resolveDefaults(header.data.defaults);
  const checks: Check[] = parsedChecks.map(({ check, protocol }) => resolveCheck(check, protocol, defaults));
  const name = header.data.name ?? defaultSuiteName(file);
  return { suite: { name, file, checks }, problems: [] };
}

export function defaultSuiteName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.ya?ml$/i, '');
}
