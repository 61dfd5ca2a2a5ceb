// compose-go's loader tests as a table: each case under conformance/compose-go is the YAML one of
// compose-go's tests loads and its assertions (see conformance/extract.mjs and NOTICE). envtest must
// agree with every translated assertion, refuse what compose-go refuses, and name the key of any
// Compose feature it refuses; a case that does otherwise fails unless conformance/differences.json
// records why (a documented choice). The tally is printed, and kept in docs/compose.md.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProjectWith } from '../../../src/compose/index.js';
import { ValidationError } from '../../../src/errors.js';
import { modeBits, parseBytes } from '../../../src/model/compose-units.js';
import { parseDuration } from '../../../src/model/duration.js';
import { memfs } from './memfs.js';

interface Assertion {
  path: (string | number)[];
  op: 'eq' | 'len' | 'present';
  type?: string;
  value?: unknown;
}
interface Case {
  source: { repo: string; commit: string; path: string; test: string };
  env: Record<string, string>;
  expect: 'load' | 'error';
  error?: string;
  assertions: Assertion[];
  untranslated: string[];
}
type Outcome = 'agrees' | 'refused by name' | 'refused' | 'wrong values' | 'accepts invalid';

const root = join(import.meta.dirname, 'conformance');
const differences = JSON.parse(readFileSync(join(root, 'differences.json'), 'utf8')) as Record<string, { outcome: Outcome; why: string }>;

function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) Object.assign(out, Object.fromEntries(Object.entries(filesUnder(p)).map(([k, v]) => [`${name}/${k}`, v])));
    else if (name !== 'expected.json') out[name] = readFileSync(p, 'utf8');
  }
  return out;
}

const ZERO = (v: unknown) => v === '' || v === false || v === 0 || v === null || (Array.isArray(v) && !v.length) || (typeof v === 'object' && v !== null && !Object.keys(v).length);

/** Does envtest's value (from the config JSON) mean what compose-go's typed value means? */
function same(type: string | undefined, expected: unknown, ours: unknown): boolean {
  if (ours === undefined || ours === null) return expected === null || expected === undefined || ZERO(expected);
  switch (type) {
    case 'str':
      return String(ours) === expected;
    case 'num':
      return Math.abs(Number(ours) - (expected as number)) <= Math.abs(expected as number) * 1e-6;
    case 'bool':
      return ours === expected;
    case 'nil':
      return false;
    case 'bytes':
      return parseBytes(ours as string) === expected;
    case 'duration':
      return Math.round((parseDuration(ours as string) ?? NaN) * 1e6) === expected;
    case 'mode':
      return modeBits(ours as string) === expected;
    case 'list':
      return Array.isArray(ours) && ours.length === (expected as unknown[]).length && ours.every((o, i) => String(o) === (expected as unknown[])[i]);
    case 'map': {
      const exp = expected as Record<string, string | null>;
      const o = ours as Record<string, unknown>;
      return Object.keys(exp).length === Object.keys(o).length && Object.entries(exp).every(([k, v]) => (v === null ? o[k] == null : String(o[k]) === v));
    }
    case 'hosts': {
      const map: Record<string, string[]> = {};
      for (const entry of ours as string[]) {
        const [h, ...ip] = entry.split('=');
        (map[h!] ??= []).push(ip.join('='));
      }
      return JSON.stringify(Object.fromEntries(Object.entries(map).sort())) === JSON.stringify(Object.fromEntries(Object.entries(expected as object).sort()));
    }
    case 'struct':
      return Object.entries(expected as Record<string, { type?: string; value: unknown }>).every(([k, v]) =>
        v && typeof v === 'object' && 'type' in v ? same(v.type, v.value, (ours as Record<string, unknown>)[k]) : same('struct', v, (ours as Record<string, unknown>)[k]),
      );
    case 'structs':
      return Array.isArray(ours) && ours.length === (expected as unknown[]).length && (expected as unknown[]).every((e, i) => same('struct', e, ours[i]));
    default:
      return JSON.stringify(ours) === JSON.stringify(expected);
  }
}

function at(root: unknown, path: (string | number)[]): unknown {
  let v = root;
  for (const k of path) v = v === null || typeof v !== 'object' ? undefined : (v as Record<string | number, unknown>)[k];
  return v;
}

function check(a: Assertion, project: unknown): string | undefined {
  const ours = at(project, a.path);
  const ok =
    a.op === 'present'
      ? ours !== undefined && ours !== null
      : a.op === 'len'
        ? (Array.isArray(ours) ? ours.length : ours && typeof ours === 'object' ? Object.keys(ours).length : 0) === a.value
        : same(a.type, a.value, ours);
  return ok ? undefined : `${a.path.join('.')}: expected ${JSON.stringify(a.value ?? a.op)}, envtest has ${JSON.stringify(ours)}`;
}

async function outcomeOf(c: Case, files: Record<string, string>): Promise<{ outcome: Outcome; detail: string }> {
  const fs = memfs(Object.fromEntries(Object.entries(files).map(([k, v]) => [`/p/${k}`, v])));
  try {
    const { project } = await loadProjectWith(fs, { cwd: '/p', env: c.env, files: ['compose.yaml'] });
    if (c.expect === 'error') return { outcome: 'accepts invalid', detail: `compose-go refuses: ${c.error}` };
    const json = JSON.parse(JSON.stringify(project)) as unknown;
    const wrong = c.assertions.map((a) => check(a, json)).filter(Boolean);
    return wrong.length ? { outcome: 'wrong values', detail: wrong.join('; ') } : { outcome: 'agrees', detail: '' };
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    if (c.expect === 'error') return { outcome: 'agrees', detail: e.message };
    const byName = e.problems.every((p) => /not supported/.test(p.message));
    return { outcome: byName ? 'refused by name' : 'refused', detail: e.message };
  }
}

const cases = readdirSync(join(root, 'compose-go')).sort();
const tally: Record<string, number> = {};
let assertions = 0;

describe('conformance with compose-go loader tests', () => {
  for (const name of cases) {
    it(name, async () => {
      const dir = join(root, 'compose-go', name);
      const c = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Case;
      const { outcome, detail } = await outcomeOf(c, filesUnder(dir));
      tally[outcome] = (tally[outcome] ?? 0) + 1;
      if (process.env.CONFORMANCE_DETAIL) console.log(`${name}\t${outcome}\t${detail.replaceAll('\n', ' ')}`);
      if (outcome === 'agrees') assertions += c.assertions.length;
      const documented = differences[name];
      if (outcome === 'agrees' || outcome === 'refused by name') {
        expect(documented, `${name} now ${outcome}: remove it from differences.json`).toBeUndefined();
        return;
      }
      expect({ name, outcome, detail }, relative(process.cwd(), dir)).toEqual({ name, outcome: documented?.outcome ?? 'agrees', detail });
    });
  }
  afterAll(() => {
    console.log(`compose-go conformance: ${cases.length} cases; ${JSON.stringify(tally)}; ${assertions} assertions agree`);
  });
});
