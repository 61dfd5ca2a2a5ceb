// `${VAR}` and `${VAR:-default}` in string values, filled from the environment before validation,
// so a value that arrives through a variable is validated like one written inline. `$$` is a
// literal `$` (compose's escape), letting passwords contain `${`. Deliberately narrower than the
// compose interpolation (src/compose/load/interpolate.ts): a bare `$NAME` stays literal, because suites
// are full of regexes (`matches: "ok$"`) where `$` is an anchor, not a variable.

export type Env = Record<string, string | undefined>;
export type KeyPath = (string | number)[];

export interface InterpolationProblem {
  path: KeyPath;
  message: string;
}

const TOKEN = /\$\$|\$\{([^}]*)\}|\$\{/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Interpolates one string; problems are reported through `report` and leave the reference empty. */
export function interpolateString(text: string, env: Env, report: (message: string) => void): string {
  return text.replace(TOKEN, (token, body: string | undefined) => {
    if (token === '$$') return '$';
    if (body === undefined) {
      report(`unterminated "\${" (write "$$" for a literal "$")`);
      return token;
    }
    const sep = body.indexOf(':-');
    const name = sep === -1 ? body : body.slice(0, sep);
    if (!NAME.test(name)) {
      report(`invalid variable reference "\${${body}}"`);
      return '';
    }
    const value = env[name];
    if (sep !== -1) return value === undefined || value === '' ? body.slice(sep + 2) : value;
    if (value === undefined) {
      // An unset variable is almost always a forgotten export; an empty password would only
      // surface later as a confusing authentication failure.
      report(`variable "${name}" is not set (use \${${name}:-default} to give a default)`);
      return '';
    }
    return value;
  });
}

/** A copy of `value` with every string interpolated. Keys are left alone. */
export function interpolate(value: unknown, env: Env): { value: unknown; problems: InterpolationProblem[] } {
  const problems: InterpolationProblem[] = [];
  const walk = (v: unknown, path: KeyPath): unknown => {
    if (typeof v === 'string') return interpolateString(v, env, (message) => problems.push({ path, message }));
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, [...path, k])]));
    }
    return v;
  };
  return { value: walk(value, []), problems };
}
