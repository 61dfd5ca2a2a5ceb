// `.env` / `--env-file` syntax as Compose reads it: KEY=VAL lines, `export ` prefix, `#` comments,
// single quotes (literal), double quotes (escapes, may span lines), and unquoted or double-quoted
// values interpolating earlier variables. Pure: the caller reads the file.
import { interpolate, InterpolationError, type Lookup } from './interpolate.js';

export interface EnvFileProblem {
  line: number;
  message: string;
}

export interface EnvFileResult {
  vars: Record<string, string>;
  problems: EnvFileProblem[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// `\$` becomes `$$` so interpolation turns it into a literal `$`.
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$$' };

/**
 * References resolve as compose-go resolves them: `outer` (the process environment) first, so the
 * shell wins inside the file too, then this file's earlier lines, then `earlier` (earlier env files).
 * A bare `KEY` line reads `outer`, then `earlier`.
 */
export function parseEnvFile(text: string, outer: Lookup = () => undefined, earlier: Lookup = () => undefined): EnvFileResult {
  const vars: Record<string, string> = {};
  const problems: EnvFileProblem[] = [];
  const lookup: Lookup = (name) => outer(name) ?? (name in vars ? vars[name] : earlier(name));
  const fallback: Lookup = (name) => outer(name) ?? earlier(name);
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const body = line.startsWith('export ') ? line.slice(7).trimStart() : line;
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (!KEY.test(key)) {
      problems.push({ line: lineNo, message: `invalid variable name "${key}": expected KEY=VALUE with KEY made of letters, digits and _` });
      continue;
    }
    if (eq < 0) {
      // A bare KEY takes its value from the environment, and is skipped when that has none.
      const inherited = fallback(key);
      if (inherited !== undefined) vars[key] = inherited;
      continue;
    }
    let raw = body.slice(eq + 1).trimStart();
    const quote = raw[0];
    try {
      if (quote === "'" || quote === '"') {
        // Quoted values may run over several lines until the closing quote.
        let end = closingQuote(raw, quote);
        while (end < 0 && i + 1 < lines.length) {
          raw += '\n' + lines[++i];
          end = closingQuote(raw, quote);
        }
        if (end < 0) {
          problems.push({ line: lineNo, message: `unterminated ${quote === '"' ? 'double' : 'single'}-quoted value for ${key}` });
          continue;
        }
        const inner = raw.slice(1, end);
        vars[key] = quote === "'" ? inner : interpolate(unescape(inner), lookup);
      } else {
        vars[key] = interpolate(stripComment(raw).trimEnd(), lookup);
      }
    } catch (e) {
      if (!(e instanceof InterpolationError)) throw e;
      problems.push({ line: lineNo, message: `${key}: ${e.message}` });
    }
  }
  return { vars, problems };
}

function closingQuote(raw: string, quote: string): number {
  for (let j = 1; j < raw.length; j++) {
    if (quote === '"' && raw[j] === '\\') j++;
    else if (raw[j] === quote) return j;
  }
  return -1;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/gs, (m, c: string) => ESCAPES[c] ?? m);
}

/** An unquoted value ends at ` #`: `KEY=abc # note` is `abc`, while `KEY=a#b` keeps the `#`. */
function stripComment(v: string): string {
  const m = /(^|\s)#/.exec(v);
  return m ? v.slice(0, m.index) : v;
}

/** `env_file: {format: raw}`: KEY=VALUE lines taken literally, no quotes, escapes or variables. */
export function parseRawEnvFile(text: string): EnvFileResult {
  const vars: Record<string, string> = {};
  const problems: EnvFileProblem[] = [];
  text.replace(/\r\n?/g, '\n').split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line.trim() : line.slice(0, eq);
    if (!KEY.test(key)) problems.push({ line: i + 1, message: `invalid variable name "${key}": expected KEY=VALUE with KEY made of letters, digits and _` });
    else if (eq >= 0) vars[key] = line.slice(eq + 1);
  });
  return { vars, problems };
}
