// Variable interpolation as the Compose spec defines it: $VAR, ${VAR}, ${VAR:-d}, ${VAR-d},
// ${VAR:?e}, ${VAR?e}, ${VAR:+a}, ${VAR+a}, nesting inside the word, and `$$` for a literal `$`.
// Pure: the environment comes in as a lookup function.
import { isPlainObject, type KeyPath } from '../key-path.js';

export type Lookup = (name: string) => string | undefined;

/** Raised for a bad template or a missing required variable; the caller turns it into a Problem. */
export class InterpolationError extends Error {}

export interface InterpolateHooks {
  /** A plain `$VAR` / `${VAR}` was unset and became ''. Compose warns about it; so do we. */
  onUnset?: (name: string) => void;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(text: string, lookup: Lookup, hooks: InterpolateHooks = {}): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = matchingBrace(text, dollar + 2);
      if (close < 0) throw new InterpolationError(`invalid interpolation format: "${text.slice(dollar)}" has no closing "}"`);
      out += expandBraced(text.slice(dollar + 2, close), lookup, hooks);
      i = close + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (name) {
        out += plain(name, lookup, hooks);
        i = dollar + 1 + name.length;
      } else {
        // A lone `$` (e.g. `cost: 5$`) is not a template; Compose keeps it as it is.
        out += '$';
        i = dollar + 1;
      }
    }
  }
  return out;
}

function plain(name: string, lookup: Lookup, hooks: InterpolateHooks): string {
  const value = lookup(name);
  if (value === undefined) hooks.onUnset?.(name);
  return value ?? '';
}

/** Index of the `}` closing a `${` whose body starts at `from`, skipping nested `${...}` and `$$`. */
function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === '$' && (text[j + 1] === '$' || text[j + 1] === '{')) {
      if (text[j + 1] === '{') depth++;
      j++;
    } else if (c === '}' && --depth === 0) {
      return j;
    }
  }
  return -1;
}

const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;

function expandBraced(body: string, lookup: Lookup, hooks: InterpolateHooks): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new InterpolationError(`invalid interpolation format: "\${${body}}" (expected a variable name after "\${")`);
  const rest = body.slice(name.length);
  if (rest === '') return plain(name, lookup, hooks);
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op) throw new InterpolationError(`invalid interpolation format: "\${${body}}" (expected "}" or one of :- - :? ? :+ + after "${name}")`);
  // The word after the operator is expanded only when used, so `${A:-${B:?x}}` does not require B when A is set.
  const word = () => interpolate(rest.slice(op.length), lookup, hooks);
  const value = lookup(name);
  const emptyCounts = op.startsWith(':');
  const missing = value === undefined || (emptyCounts && value === '');
  switch (op) {
    case ':-':
    case '-':
      return missing ? word() : value!;
    case ':?':
    case '?': {
      if (!missing) return value!;
      const why = word();
      throw new InterpolationError(`required variable ${name} is missing a value${why ? `: ${why}` : ''}`);
    }
    case ':+':
    case '+':
      return missing ? '' : word();
  }
}

export interface TreeProblem {
  path: KeyPath;
  message: string;
}

/**
 * Interpolates every string value of a parsed YAML tree (never keys, as Compose does) and reports
 * each failure with its key path instead of stopping at the first.
 */
export function interpolateTree(
  value: unknown,
  lookup: Lookup,
  report: (p: TreeProblem) => void,
  onUnset?: (name: string, path: KeyPath) => void,
  path: KeyPath = [],
): unknown {
  if (typeof value === 'string') {
    try {
      return interpolate(value, lookup, { onUnset: onUnset && ((name) => onUnset(name, path)) });
    } catch (e) {
      if (e instanceof InterpolationError) {
        report({ path, message: e.message });
        return value;
      }
      throw e;
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, lookup, report, onUnset, [...path, i]));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateTree(v, lookup, report, onUnset, [...path, k]);
    return out;
  }
  return value;
}
