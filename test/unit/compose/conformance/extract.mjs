// Turns compose-go's per-attribute loader tests (loader/tests/*_test.go) into conformance cases:
// the YAML each test loads, its environment, and its assertions rewritten as key paths into the
// `docker compose config --format json` shape with the expected values. Assertions this script
// cannot translate are kept verbatim under "untranslated" (and not checked), so the tally stays
// honest. Not run by the tests: the cases it wrote are committed beside it.
//   node extract.mjs <compose-go checkout> <commit>
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [root, commit] = process.argv.slice(2);
const out = join(import.meta.dirname, 'compose-go');

// Go field name → yaml key, from the struct tags of compose-go's types.
const tags = {};
for (const f of readdirSync(join(root, 'types')).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))) {
  for (const m of readFileSync(join(root, 'types', f), 'utf8').matchAll(/^\s+([A-Z]\w*)\s+[^`\n]+`yaml:"([^",]*)/gm)) {
    if (m[2] !== '-' && !m[2].startsWith('#')) tags[m[1]] ??= m[2];
  }
}
const TOP = { Services: 'services', Networks: 'networks', Volumes: 'volumes', Secrets: 'secrets', Configs: 'configs', Models: 'models', Name: 'name' };

/** Go selector expression → key path, or undefined. */
function pathOf(expr, aliases) {
  let e = expr.trim().replace(/^\*/, '').replace(/^\((.*)\)$/, '$1');
  const alias = /^(\w+)/.exec(e)?.[1];
  if (alias && alias in aliases) e = aliases[alias] + e.slice(alias.length);
  if (!e.startsWith('p.')) return undefined;
  const path = [];
  let rest = e.slice(2);
  let first = true;
  while (rest) {
    let m;
    if ((m = /^\.Extensions(?=\[)/.exec(rest))) {
      // Extension fields sit beside the keys in the compose output.
    } else if ((m = /^\.?([A-Z]\w*)/.exec(rest))) {
      const key = first ? TOP[m[1]] : tags[m[1]];
      if (!key) return undefined;
      path.push(key);
    } else if ((m = /^\["([^"]*)"\]/.exec(rest))) path.push(m[1]);
    else if ((m = /^\[(\d+)\]/.exec(rest))) path.push(Number(m[1]));
    else return undefined;
    first = false;
    rest = rest.slice(m[0].length);
  }
  return path;
}

const CONSTANTS = {
  'types.ServiceConditionStarted': 'service_started',
  'types.ServiceConditionHealthy': 'service_healthy',
  'types.ServiceConditionCompletedSuccessfully': 'service_completed_successfully',
  'types.WatchActionSync': 'sync',
  'types.WatchActionRebuild': 'rebuild',
  'types.WatchActionSyncRestart': 'sync+restart',
  'types.PullPolicyAlways': 'always',
  'types.PullPolicyNever': 'never',
  'types.PullPolicyMissing': 'missing',
  'types.PullPolicyBuild': 'build',
};
const values = {};

/** Go literal → { value, type } or undefined. */
function valueOf(lit) {
  const t = lit.trim();
  let m;
  if (t in CONSTANTS) return { type: 'str', value: CONSTANTS[t] };
  if (t in values) return values[t];
  if ((m = /^types\.FileMode\((0o?[0-7]+|\d+)\)$/.exec(t))) return { type: 'mode', value: t.includes('(0') ? parseInt(m[1].replace(/^0o?/, ''), 8) : Number(m[1]) };
  if ((m = /^\[\]types\.\w+\{(.*)\}$/s.exec(t)) || (m = /^types\.(?:SSHConfig|DeviceRequests)\{(.*)\}$/s.exec(t))) {
    const items = splitTop(m[1]).map((i) => valueOf(i.startsWith('{') ? `types.X${i}` : i));
    return items.every((i) => i && i.type === 'struct') ? { type: 'structs', value: items.map((i) => i.value) } : undefined;
  }
  if ((m = /^&?types\.\w+\{(\s*[A-Z]\w*:[\s\S]*)\}$/.exec(t))) {
    const obj = {};
    for (const entry of splitTop(m[1])) {
      const kv = /^([A-Z]\w*)\s*:\s*([\s\S]*)$/.exec(entry);
      const v = kv && valueOf(kv[2]);
      if (!kv || !v || !tags[kv[1]]) return undefined;
      obj[tags[kv[1]]] = v.type === 'struct' || v.type === 'structs' ? v.value : v;
    }
    return { type: 'struct', value: obj };
  }
  if ((m = /^"((?:[^"\\]|\\.)*)"$/.exec(t))) return { type: 'str', value: JSON.parse(`"${m[1]}"`) };
  if ((m = /^`([^`]*)`$/.exec(t))) return { type: 'str', value: m[1] };
  if (t === 'true' || t === 'false') return { type: 'bool', value: t === 'true' };
  if (t === 'nil') return { type: 'nil', value: null };
  if (/^-?\d+(\.\d+)?$/.test(t)) return { type: 'num', value: Number(t) };
  if ((m = /^bool\((.*)\)$/.exec(t))) return valueOf(m[1]);
  if ((m = /^(?:u?int(?:8|16|32|64)?|float(?:32|64)|ptr|types\.NanoCPUs)\((.*)\)$/s.exec(t))) {
    const inner = arith(m[1]) ?? valueOf(m[1]);
    return typeof inner === 'number' ? { type: 'num', value: inner } : inner;
  }
  if ((m = /^types\.UnitBytes\((.*)\)$/.exec(t))) {
    const n = arith(m[1]);
    return n === undefined ? undefined : { type: 'bytes', value: n };
  }
  if ((m = /^types\.Duration\((.*)\)$/.exec(t)) || (m = /^(\d+\s*\*\s*time\.\w+)$/.exec(t))) {
    const n = arith(m[1].replace(/time\.(Hour|Minute|Second|Millisecond|Microsecond|Nanosecond)/g, (_, u) => ({ Hour: 3.6e12, Minute: 6e10, Second: 1e9, Millisecond: 1e6, Microsecond: 1e3, Nanosecond: 1 })[u]));
    return n === undefined ? undefined : { type: 'duration', value: n };
  }
  if ((m = /^types\.External\((true|false)\)$/.exec(t))) return { type: 'bool', value: m[1] === 'true' };
  if ((m = /^(?:\[\]string|types\.StringList|types\.ShellCommand|types\.StringOrNumberList|types\.HealthCheckTest)\{(.*)\}$/s.exec(t))) {
    const items = splitTop(m[1]).map(valueOf);
    return items.every((i) => i && i.type === 'str') ? { type: 'list', value: items.map((i) => i.value) } : undefined;
  }
  if ((m = /^(?:types\.(?:Labels|Options|Mapping|MappingWithEquals)|map\[string\]\*?string)\{(.*)\}$/s.exec(t))) {
    const obj = {};
    for (const entry of splitTop(m[1])) {
      const kv = /^"([^"]*)"\s*:\s*(.*)$/s.exec(entry);
      const v = kv && valueOf(kv[2]);
      if (!v || (v.type !== 'str' && v.type !== 'nil')) return undefined;
      obj[kv[1]] = v.value;
    }
    return { type: 'map', value: obj };
  }
  if ((m = /^types\.HostsList\{(.*)\}$/s.exec(t))) {
    const obj = {};
    for (const entry of splitTop(m[1])) {
      const kv = /^"([^"]*)"\s*:\s*(.*)$/s.exec(entry);
      const v = kv && valueOf(kv[2]);
      if (!v || v.type !== 'list') return undefined;
      obj[kv[1]] = v.value;
    }
    return { type: 'hosts', value: obj };
  }
  return undefined;
}

function arith(text) {
  const t = text.trim();
  if (!/^[\d.\s*+\-()e]+$/.test(t)) return undefined;
  try {
    return Function(`return (${t})`)();
  } catch {
    return undefined;
  }
}

/** Splits `a, b, {c, d}` at top-level commas. */
function splitTop(text) {
  const parts = [];
  let depth = 0;
  let cur = '';
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') inStr = !inStr;
    if (!inStr && '{(['.includes(c)) depth++;
    if (!inStr && '})]'.includes(c)) depth--;
    if (!inStr && depth === 0 && c === ',') {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

/** The Go statements of a function body, joined across lines where brackets are open. */
function statements(body) {
  const lines = body.split('\n');
  const out = [];
  let cur = '';
  let depth = 0;
  let inRaw = false;
  for (const line of lines) {
    cur += (cur ? '\n' : '') + line;
    for (const c of line) {
      if (c === '`') inRaw = !inRaw;
      else if (!inRaw && '{(['.includes(c)) depth++;
      else if (!inRaw && '})]'.includes(c)) depth--;
    }
    if (depth <= 0 && !inRaw) {
      out.push(cur.trim());
      cur = '';
      depth = 0;
    }
  }
  return out.filter(Boolean);
}

function translate(stmt, aliases) {
  let m;
  // gotest.tools' is.Equal / is.DeepEqual take the expected value first.
  if ((m = /^assert\.(?:Check|Assert)\(t, is\.(?:Equal|DeepEqual)\(([\s\S]*)\)\)$/.exec(stmt))) {
    const [expected, actual] = splitTop(m[1]);
    if (actual === undefined) return undefined;
    return translate(`assert.Equal(t, ${actual}, ${expected})`, aliases);
  }
  if ((m = /^assert\.(?:Equal|DeepEqual|Check\(t, is\.Equal)\(t, (.*)\)\)?$/s.exec(stmt))) {
    const [actual, expected] = splitTop(m[1]);
    if (expected === undefined) return undefined;
    const lenM = /^len\((.*)\)$/.exec(actual);
    if (lenM) {
      const path = pathOf(lenM[1], aliases);
      const n = arith(expected);
      return path && n !== undefined ? { path, op: 'len', value: n } : undefined;
    }
    const path = pathOf(actual, aliases);
    const v = valueOf(expected);
    return path && v ? { path, op: 'eq', type: v.type, value: v.value } : undefined;
  }
  if ((m = /^assert\.Check\(t, (.*) == (true|false)\)$/.exec(stmt))) {
    const path = pathOf(m[1], aliases);
    return path ? { path, op: 'eq', type: 'bool', value: m[2] === 'true' } : undefined;
  }
  if ((m = /^assert\.Assert\(t, (.*) == nil\)$/.exec(stmt))) {
    const path = pathOf(m[1], aliases);
    return path ? { path, op: 'eq', type: 'nil', value: null } : undefined;
  }
  if ((m = /^assert\.Check\(t, (.*) != nil\)$/.exec(stmt)) || (m = /^assert\.Assert\(t, (.*) != nil\)$/.exec(stmt))) {
    const path = pathOf(m[1], aliases);
    return path ? { path, op: 'present' } : undefined;
  }
  return undefined;
}

let written = 0;
const sources = [
  ...readdirSync(join(root, 'loader/tests')).filter((f) => f.endsWith('_test.go')).sort().map((f) => `loader/tests/${f}`),
  'loader/loader_test.go',
];
for (const file of sources) {
  const text = readFileSync(join(root, file), 'utf8');
  for (const fn of text.split(/^func (?=Test)/m).slice(1)) {
    const name = /^(\w+)/.exec(fn)[1];
    const body = fn.slice(fn.indexOf('{') + 1);
    const cases = [];
    let current;
    const aliases = {};
    for (const k of Object.keys(values)) delete values[k];
    for (const stmt of statements(body)) {
      let m;
      if ((m = /^(\w+)(?:, \w+)? :?= (load|loadWithEnv|loadYAML|loadYAMLWithEnv)\(t?,? ?`([\s\S]*?)`(?:, (map\[string\]string\{[\s\S]*\}))?\)$/.exec(stmt))) {
        const env = m[4] ? valueOf(m[4].replace(/^map\[string\]string/, 'types.Mapping'))?.value : {};
        current = { test: name, yaml: m[3].replace(/^\n/, ''), env: env ?? {}, expect: 'load', assertions: [], untranslated: [] };
        cases.push(current);
        aliases[m[1]] = 'p';
        continue;
      }
      if ((m = /LoadWithContext\([\s\S]*?Content: \[\]byte\(`([\s\S]*?)`\)/.exec(stmt))) {
        current = { test: name, yaml: m[1].replace(/^\n/, ''), env: {}, expect: 'load', assertions: [], untranslated: [] };
        cases.push(current);
        continue;
      }
      if (!current) continue;
      if ((m = /^assert\.(?:Error\(t, err, |ErrorContains\(t, err, |Check\(t, is\.ErrorContains\(err, |Assert\(t, is\.ErrorContains\(err, )["`](.*)["`](?:, err)?\)\)?$/.exec(stmt)) || (m = /^assert\.Check\(t, strings\.Contains\(err\.Error\(\), "(.*)"\)/.exec(stmt))) {
        current.expect = 'error';
        current.error = m[1];
        continue;
      }
      if (/^assert\.NilError\(t, err\)$/.test(stmt)) continue;
      if (/^assert\.(?:Check|Assert)\(t, err != nil\)$/.test(stmt)) {
        current.expect = 'error';
        current.error = '(any error)';
        continue;
      }
      if ((m = /^(\w+) :?= ([^=][\s\S]*)$/.exec(stmt)) && !/func\(/.test(m[2]) && pathOf(m[2], aliases)) {
        aliases[m[1]] = m[2].replace(/^\*/, '').replace(/^(\w+)/, (a) => aliases[a] ?? a);
        continue;
      }
      if ((m = /^expect := func\(p \*types\.Project\) \{([\s\S]*)\}$/.exec(stmt))) {
        for (const inner of statements(m[1])) {
          const am = /^(\w+) :?= ([\s\S]*)$/.exec(inner);
          if (am && pathOf(am[2], aliases)) aliases[am[1]] = am[2].replace(/^\*/, '').replace(/^(\w+)/, (a) => aliases[a] ?? a);
          else if (am && valueOf(am[2])) values[am[1]] = valueOf(am[2]);
          else if (!inner.startsWith('//') && inner !== '}') {
            const a = translate(inner, aliases);
            if (a) current.assertions.push(a);
            else current.untranslated.push(inner);
          }
        }
        continue;
      }
      if (/^(expect\(|yamlP, jsonP|\/\/|\}$)/.test(stmt)) continue;
      if ((m = /^(\w+) :?= ([\s\S]*)$/.exec(stmt)) && valueOf(m[2])) {
        values[m[1]] = valueOf(m[2]);
        continue;
      }
      // Round-trip checks re-read compose-go's own output; envtest's is checked by the table test.
      if (/^assert\.\w+\(t, \*?(yamlP|jsonP)\./.test(stmt)) continue;
      if (stmt.startsWith('assert.')) {
        const a = translate(stmt, aliases);
        if (a) current.assertions.push(a);
        else current.untranslated.push(stmt);
      } else current.untranslated.push(stmt);
    }
    cases.forEach((c, i) => {
      let dir = join(out, `${name}${cases.length > 1 ? `-${i + 1}` : ''}`);
      if (file === 'loader/loader_test.go') dir += '.loader';
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'compose.yaml'), c.yaml);
      const { yaml: _y, ...rest } = c;
      writeFileSync(
        join(dir, 'expected.json'),
        JSON.stringify({ source: { repo: 'compose-spec/compose-go', commit, path: file, test: name, license: 'Apache-2.0' }, ...rest }, null, 2) + '\n',
      );
      written++;
    });
  }
}
console.log(`${written} cases written to ${out}`);
